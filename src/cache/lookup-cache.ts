import { LRUCache } from 'lru-cache';
import type { Clock } from '../shared/clock';

/** How one kind of look-up is kept: at most `max` answers, each for `ttlMs` (`refusalTtlMs` for answers that refuse). */
export interface CachePolicy {
  max: number;
  ttlMs: number;
  /** For answers that deny or find nothing; never longer than ttlMs, so a refusal does not outlive a grant. */
  refusalTtlMs: number;
}

/**
 * A bounded memo of a slow look-up. Concurrent asks for one key share one
 * call; an answer is kept for its TTL on the injected clock; a failure is
 * never kept (the next ask calls again); `forget` drops an answer, and an
 * answer still on its way when it is forgotten is not kept either.
 */
export class LookupCache<V> {
  // Wrapped, because lru-cache keeps neither null nor undefined.
  private readonly answers: LRUCache<string, { value: V }>;
  private readonly inFlight = new Map<string, Promise<V>>();

  constructor(
    private readonly policy: CachePolicy,
    clock: Clock,
    private readonly isRefusal: (value: V) => boolean = () => false,
  ) {
    if (policy.refusalTtlMs > policy.ttlMs) throw new Error('a refusal must not be cached longer than an answer that grants');
    this.answers = new LRUCache({ max: policy.max, ttl: policy.ttlMs, ttlResolution: 0, perf: { now: () => clock.now() } });
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const kept = this.answers.get(key);
    if (kept) return kept.value;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const call = load();
    this.inFlight.set(key, call);
    try {
      const value = await call;
      if (this.inFlight.get(key) === call)
        this.answers.set(key, { value }, { ttl: this.isRefusal(value) ? this.policy.refusalTtlMs : this.policy.ttlMs });
      return value;
    } finally {
      if (this.inFlight.get(key) === call) this.inFlight.delete(key);
    }
  }

  /** Keeps an answer learnt another way (our own write). */
  put(key: string, value: V): void {
    this.inFlight.delete(key);
    this.answers.set(key, { value }, { ttl: this.isRefusal(value) ? this.policy.refusalTtlMs : this.policy.ttlMs });
  }

  forget(key: string): void {
    this.inFlight.delete(key);
    this.answers.delete(key);
  }

  get size(): number {
    return this.answers.size;
  }
}
