import type { AppConfig } from '../../src/config/app-config';
import { latestFiring } from '../../src/scheduler/periodic-jobs';
import type { Store } from '../../src/store/store';

/**
 * Marks the latest firing of every calendar job (daily summary, audit
 * retention, access review, drift sweep) as already run, as in a deployment
 * that has been up for a while. Without this, the first instance on a fresh
 * database runs them all at start-up, and a drift sweep of every mailbox
 * would compete with the revocations being measured. Uses the claim key of
 * PeriodicJobs ("job:<name>:<ISO firing>", first value 1 = claimed).
 */
export async function markPeriodicJobsDone(store: Store, config: AppConfig, now = Date.now()): Promise<void> {
  const jobs: [string, string][] = [
    ['daily-summary', config.dailySummaryCron],
    ['audit-retention', '30 2 * * *'],
    ['access-review', config.reviews.cron],
    ['drift-sweep', config.drift.cron],
  ];
  for (const [name, cron] of jobs) await store.nextSequence(`job:${name}:${new Date(latestFiring(cron, now)).toISOString()}`);
}
