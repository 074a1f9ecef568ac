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
  /** Claimed per round. */
  batchSize: number;
  /** Due items worked on at the same time. */
  concurrency: number;
  work: (request: AccessRequest) => Promise<void>;
  /** Jobs on a calendar (daily summary, reviews, sweeps), checked every round. */
  periodic?: { runDue(): Promise<string[]> };
}

/**
 * Polls the store for due requests (expiring grants, retries, pending expiry,
 * reminders), claims them with a lease so that several instances never do the
 * same work, and hands each to `work`. Starts with a round at once, so work
 * that fell due while the bot was down is done at start-up.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private lastRoundAt: number | null = null;
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
  }

  /** For readiness: has a round completed recently? */
  isHealthy(): boolean {
    if (this.stopped || this.lastRoundAt === null) return false;
    return this.options.clock.now() - this.lastRoundAt < Math.max(60_000, this.options.intervalMs * 10) || this.running;
  }

  /**
   * Claims and works due requests until nothing more is due right now (work
   * often makes the next step due at once, e.g. the activity report after a
   * revocation), bounded so one round cannot spin. Tests call it directly.
   */
  async runOnce(maxBatches = 20): Promise<number> {
    let total = 0;
    await this.options.periodic?.runDue();
    for (let batch = 0; batch < maxBatches; batch++) {
      const claimed = await this.options.store.claimDue({
        now: this.options.clock.now(),
        owner: this.options.owner,
        leaseMs: this.options.leaseMs,
        limit: this.options.batchSize,
      });
      if (claimed.length === 0) break;
      total += claimed.length;
      await this.workAll(claimed);
    }
    this.lastRoundAt = this.options.clock.now();
    return total;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = true;
      this.current = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'scheduler round failed; retrying'))
        .finally(() => {
          this.running = false;
          this.schedule(this.options.intervalMs);
        });
    }, delayMs);
    this.timer.unref?.();
  }

  private async workAll(requests: AccessRequest[]): Promise<void> {
    const queue = [...requests];
    const workers = Array.from({ length: Math.min(this.options.concurrency, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          await this.options.work(next);
        } catch (error) {
          // The lease lapses and another round (here or elsewhere) picks it up again.
          this.options.logger.error({ err: error, requestId: next.id }, 'due work failed');
        }
      }
    });
    await Promise.all(workers);
  }
}
