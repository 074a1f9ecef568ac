import type { AccessRequest } from '../domain/types';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { Store } from '../store/store';

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** This instance's name in leases. */
  owner: string;
  leaseMs: number;
  /** How often to look for due work. */
  intervalMs: number;
  /** Claimed per store call. */
  batchSize: number;
  /** Due items worked on at the same time. */
  concurrency: number;
  /**
   * Work due within this long is claimed ahead and started from memory when
   * it falls due, so a burst of expiries does not wait for the claim query.
   * 0 claims only what is due.
   */
  lookaheadMs: number;
  /** Most claimed items this instance holds (waiting and running); the rest stay for other instances. */
  maxHeld: number;
  /** Most items claimed in one round, so that instances share a burst. */
  maxClaimPerRound: number;
  work: (request: AccessRequest) => Promise<void>;
  /** Gives back the lease of an item claimed ahead that this instance will not work on (shutdown). */
  release?: (request: AccessRequest) => Promise<void>;
  /** Jobs on a calendar (daily summary, reviews, sweeps), checked every round. */
  periodic?: { runDue(): Promise<string[]> };
}

/**
 * Claims due requests (expiring grants, retries, pending expiry, reminders)
 * with a lease so that several instances never do the same work, and hands
 * each to `work` when it falls due. Work due soon is claimed ahead (lease:
 * due time + lease), held in memory and started on time; a round claims
 * again every interval. Starts with a round at once, so work that fell due
 * while the bot was down is done at start-up.
 */
export class Scheduler {
  /** Claimed, not started yet, by request id. */
  private readonly held = new Map<string, AccessRequest>();
  private readonly running = new Set<Promise<void>>();
  /** Requests being worked on now: a new claim of one waits until that work is done. */
  private readonly workingOn = new Set<string>();
  private roundTimer: NodeJS.Timeout | null = null;
  private dispatchTimer: NodeJS.Timeout | null = null;
  private dispatchAt = Infinity;
  private roundRunning = false;
  private stopped = true;
  private lastRoundAt: number | null = null;
  private currentRound: Promise<void> = Promise.resolve();
  private claims = 0;

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    this.stopped = false;
    this.scheduleRound(0);
  }

  /** Finishes the work under way; gives back what was claimed ahead and not started. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.roundTimer) clearTimeout(this.roundTimer);
    if (this.dispatchTimer) clearTimeout(this.dispatchTimer);
    this.roundTimer = this.dispatchTimer = null;
    await this.currentRound;
    await Promise.all(this.running);
    const unstarted = [...this.held.values()];
    this.held.clear();
    const release = this.options.release;
    if (release) {
      await Promise.all(
        unstarted.map((request) =>
          release(request).catch((error: unknown) =>
            this.options.logger.warn({ err: error, requestId: request.id }, 'could not give back a claimed item; its lease will lapse'),
          ),
        ),
      );
    }
  }

  /** For readiness: has a round completed recently? */
  isHealthy(): boolean {
    if (this.stopped || this.lastRoundAt === null) return false;
    return this.options.clock.now() - this.lastRoundAt < Math.max(60_000, this.options.intervalMs * 10) || this.roundRunning;
  }

  /** Claimed items waiting for their due time or a free worker. */
  get heldCount(): number {
    return this.held.size;
  }

  /**
   * One round: calendar jobs, claims (ahead), then everything due now is
   * worked and awaited, repeatedly while work makes more work due at once
   * (e.g. the activity report after a revocation), bounded so one round
   * cannot spin. Returns how many items were worked. Tests call it directly.
   */
  async runOnce(maxBatches = 20): Promise<number> {
    let total = 0;
    await this.options.periodic?.runDue();
    for (let batch = 0; batch < maxBatches; batch++) {
      await this.claim();
      const due = this.takeDue(Infinity);
      if (due.length === 0) break;
      total += due.length;
      await Promise.all(this.startAll(due));
    }
    this.lastRoundAt = this.options.clock.now();
    return total;
  }

  /** Claims until the batch comes back short, this round's share is taken, or this instance holds its maximum. */
  private async claim(): Promise<void> {
    const { store, clock, owner, leaseMs, lookaheadMs, batchSize, maxHeld, maxClaimPerRound } = this.options;
    for (let taken = 0; ;) {
      const room = Math.min(maxHeld - this.held.size - this.running.size, maxClaimPerRound - taken);
      if (room <= 0) return;
      const now = clock.now();
      const limit = Math.min(batchSize, room);
      // A claim's lease names the claim, so work started from it can tell it still holds it.
      const startedAt = Date.now();
      const claimed = await store.claimDue({ now, horizon: now + lookaheadMs, owner: `${owner}#${++this.claims}`, leaseMs, limit });
      for (const request of claimed) this.held.set(request.id, request);
      if (claimed.length > 0)
        this.options.logger.debug(
          { claimed: claimed.length, held: this.held.size, running: this.running.size, ms: Date.now() - startedAt },
          'claimed due work',
        );
      taken += claimed.length;
      // What is due starts now, not after the whole round's claims.
      this.dispatch();
      if (claimed.length < limit) return;
    }
  }

  /** Removes and returns up to `max` held items that are due now, earliest first. */
  private takeDue(max: number): AccessRequest[] {
    const now = this.options.clock.now();
    const due = [...this.held.values()]
      .filter((request) => (request.dueAt ?? now) <= now && !this.workingOn.has(request.id))
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
    const taken = due.slice(0, max);
    for (const request of taken) this.held.delete(request.id);
    return taken;
  }

  private startAll(requests: AccessRequest[]): Promise<void>[] {
    const queue = [...requests];
    const workers = Array.from({ length: Math.min(this.options.concurrency, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await this.workOne(next);
    });
    return workers;
  }

  private async workOne(request: AccessRequest): Promise<void> {
    this.workingOn.add(request.id);
    try {
      await this.options.work(request);
    } catch (error) {
      // The lease lapses and another round (here or elsewhere) picks it up again.
      this.options.logger.error({ err: error, requestId: request.id }, 'due work failed');
    } finally {
      this.workingOn.delete(request.id);
    }
  }

  private scheduleRound(delayMs: number): void {
    if (this.stopped) return;
    this.roundTimer = setTimeout(() => {
      this.roundRunning = true;
      this.currentRound = this.round()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'scheduler round failed; retrying'))
        .finally(() => {
          this.roundRunning = false;
          this.scheduleRound(this.options.intervalMs);
        });
    }, delayMs);
    this.roundTimer.unref?.();
  }

  private async round(): Promise<void> {
    await this.options.periodic?.runDue();
    await this.claim();
    this.lastRoundAt = this.options.clock.now();
    this.dispatch();
  }

  /** Starts what is due, as far as workers are free, and sets a timer for the next due item (background mode only). */
  private dispatch(): void {
    if (this.stopped) return;
    const free = this.options.concurrency - this.running.size;
    if (free > 0) {
      for (const request of this.takeDue(free)) {
        const run = this.workOne(request).finally(() => {
          this.running.delete(run);
          this.dispatch();
        });
        this.running.add(run);
      }
    }
    this.armDispatch();
  }

  private armDispatch(): void {
    if (this.stopped || this.running.size >= this.options.concurrency) return;
    let next = Infinity;
    for (const request of this.held.values()) if (!this.workingOn.has(request.id)) next = Math.min(next, request.dueAt ?? 0);
    if (next === Infinity || next >= this.dispatchAt) return;
    if (this.dispatchTimer) clearTimeout(this.dispatchTimer);
    this.dispatchAt = next;
    this.dispatchTimer = setTimeout(
      () => {
        this.dispatchTimer = null;
        this.dispatchAt = Infinity;
        this.dispatch();
      },
      Math.max(0, next - this.options.clock.now()),
    );
    this.dispatchTimer.unref?.();
  }
}
