import { CronExpressionParser } from 'cron-parser';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { Store } from '../store/store';

export interface PeriodicJob {
  name: string;
  /** Cron expression in UTC, e.g. "0 7 * * *". */
  cron: string;
  /** Runs for the firing at `firedAt` (epoch ms). */
  run(firedAt: number): Promise<void>;
}

/** Throws with the job and expression named when a cron expression is invalid. */
export function checkCron(name: string, cron: string): void {
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' });
  } catch (error) {
    throw new Error(
      `The schedule of ${name} ("${cron}") is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The latest firing at or before `now`. */
export function latestFiring(cron: string, now: number): number {
  const expression = CronExpressionParser.parse(cron, { currentDate: new Date(now + 1), tz: 'UTC' });
  return expression.prev().getTime();
}

/**
 * Runs each job once per firing across all instances: the instance that
 * creates the firing's claim first ("claim by create", a counter whose first
 * value is 1) runs it. A firing missed while everything was down runs at the
 * next check; older missed firings are not replayed.
 */
export class PeriodicJobs {
  /** Firings already claimed or seen taken by this instance: no store write until the next firing. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly jobs: PeriodicJob[],
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    for (const job of jobs) checkCron(job.name, job.cron);
  }

  /** Checks every job once; returns the names of the jobs this instance ran. */
  async runDue(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.jobs) {
      const firedAt = latestFiring(job.cron, this.clock.now());
      if (this.seen.get(job.name) === firedAt) continue;
      this.seen.set(job.name, firedAt);
      const claimed = (await this.store.nextSequence(`job:${job.name}:${new Date(firedAt).toISOString()}`)) === 1;
      if (!claimed) continue;
      try {
        await job.run(firedAt);
        ran.push(job.name);
      } catch (error) {
        this.logger.error({ err: error, job: job.name, firedAt }, 'periodic job failed');
      }
    }
    return ran;
  }
}
