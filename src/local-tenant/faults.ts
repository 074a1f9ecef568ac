// Switches that make the local tenant misbehave the way Microsoft 365 does:
// throttling with Retry-After, server errors, slow answers, dropped
// connections, malformed bodies, and a change that silently does not happen. A rule applies to requests whose route tags
// include its route ("graph", "exchange", "token", "audit", or a finer tag such
// as "graph:sendMail" or "exchange:Add-MailboxPermission"), for a number of
// requests or until cleared.

export type FaultKind = 'throttle' | 'error' | 'drop' | 'slow' | 'malformed' | 'ignore';

export interface FaultRule {
  kind: FaultKind;
  /** Route tag the rule applies to; undefined = every route. */
  route?: string;
  /** Requests left to affect (Infinity = until reset). */
  remaining: number;
  retryAfterSeconds?: number;
  status?: number;
  delayMs?: number;
}

interface Common {
  route?: string;
  /** How many requests to affect (default 1; Infinity until reset). */
  times?: number;
}

/** Exchange-style throttling: at most `perSecond` requests per one-second window on a route. */
export interface RateLimit {
  route?: string;
  perSecond: number;
  retryAfterSeconds: number;
}

export class Faults {
  private rules: FaultRule[] = [];
  private limits: { limit: RateLimit; window: number; used: number }[] = [];
  /** Requests answered 429 by a rate limit. */
  rateLimited = 0;
  /** Added to every answer. */
  latencyMs = 0;
  /** How many requests each fault kind affected. */
  readonly applied: Record<FaultKind, number> = { throttle: 0, error: 0, drop: 0, slow: 0, malformed: 0, ignore: 0 };

  /** 429 Too Many Requests with Retry-After (seconds). */
  throttle(options: Common & { retryAfterSeconds?: number } = {}): this {
    return this.add({
      kind: 'throttle',
      route: options.route,
      remaining: options.times ?? 1,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
    });
  }

  /** A server error (default 500); 503 answers carry Retry-After when retryAfterSeconds is set. */
  fail(options: Common & { status?: number; retryAfterSeconds?: number } = {}): this {
    return this.add({
      kind: 'error',
      route: options.route,
      remaining: options.times ?? 1,
      status: options.status ?? 500,
      retryAfterSeconds: options.retryAfterSeconds,
    });
  }

  /** Closes the connection without an answer. */
  drop(options: Common = {}): this {
    return this.add({ kind: 'drop', route: options.route, remaining: options.times ?? 1 });
  }

  /** Answers, but only after delayMs. */
  slow(options: Common & { delayMs: number }): this {
    return this.add({ kind: 'slow', route: options.route, remaining: options.times ?? 1, delayMs: options.delayMs });
  }

  /** 200 with a body that is not valid JSON. */
  malformed(options: Common = {}): this {
    return this.add({ kind: 'malformed', route: options.route, remaining: options.times ?? 1 });
  }

  /** Answers 200 with an empty result without doing anything (a change that silently did not happen). */
  ignore(options: Common = {}): this {
    return this.add({ kind: 'ignore', route: options.route, remaining: options.times ?? 1 });
  }

  /** Until reset: requests beyond `perSecond` in the current second get 429 with Retry-After (default 1 s). */
  rateLimit(options: { route?: string; perSecond: number; retryAfterSeconds?: number }): this {
    if (!(options.perSecond > 0)) throw new RangeError('perSecond must be positive');
    this.limits.push({
      limit: { route: options.route, perSecond: options.perSecond, retryAfterSeconds: options.retryAfterSeconds ?? 1 },
      window: -1,
      used: 0,
    });
    return this;
  }

  /** The rate limit a request at `now` (epoch ms) exceeds, if any; the request counts against every matching limit. */
  overLimit(tags: readonly string[], now: number): RateLimit | undefined {
    const window = Math.floor(now / 1000);
    let exceeded: RateLimit | undefined;
    for (const entry of this.limits) {
      if (entry.limit.route !== undefined && !tags.includes(entry.limit.route)) continue;
      if (entry.window !== window) {
        entry.window = window;
        entry.used = 0;
      }
      entry.used += 1;
      if (entry.used > entry.limit.perSecond) exceeded ??= entry.limit;
    }
    if (exceeded) this.rateLimited += 1;
    return exceeded;
  }

  reset(): void {
    this.limits = [];
    this.rateLimited = 0;
    this.rules = [];
    this.latencyMs = 0;
    for (const k of Object.keys(this.applied) as FaultKind[]) this.applied[k] = 0;
  }

  /** The first rule matching one of the request's tags, consumed by one. */
  take(tags: readonly string[]): FaultRule | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && (r.route === undefined || tags.includes(r.route)));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.applied[rule.kind] += 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { ...rule };
  }

  private add(rule: FaultRule): this {
    if (!(rule.remaining > 0)) throw new RangeError('times must be positive');
    this.rules.push(rule);
    return this;
  }
}
