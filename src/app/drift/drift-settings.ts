import type { AllowRule } from '../../domain/drift-allow';

export interface DriftSettings {
  /** UTC cron of the scheduled sweep, e.g. "0 3 * * *". */
  cron: string;
  /** Mailboxes to sweep; every mailbox Exchange lists when absent. */
  mailboxes?: string[];
  /** Rules from the allow-list file (entries added with "Allow" are stored and added at each sweep). */
  allowRules: AllowRule[];
  /** Mailboxes read at the same time: keeps the sweep inside Exchange's throttling limits. */
  concurrency: number;
  /** Finding cards posted per sweep at most; the rest are listed with "sweep findings". */
  cardsPerSweep?: number;
}
