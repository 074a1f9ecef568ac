/** What a grantee did inside one mailbox during a time window, from the Purview audit log. */
export interface ActivitySummary {
  mailbox: string;
  grantee: string;
  from: number;
  to: number;
  /** Number of audit records that matched. */
  recordCount: number;
  /** Records per operation, e.g. { MailItemsAccessed: 12, Send: 1 }. */
  operations: Record<string, number>;
  /** Epoch ms of the first and last matched record; absent when none matched. */
  firstActivityAt?: number;
  lastActivityAt?: number;
}

export interface ActivitySearchParams {
  /** Mailbox UPN. */
  mailbox: string;
  /** Grantee UPN. */
  grantee: string;
  /** Window start and end, epoch ms. */
  from: number;
  to: number;
}

/**
 * Summarises mailbox activity. Never throws for a search that could not be
 * done (no permission, Purview failed or slow): it returns a plain reason.
 */
export interface ActivitySearch {
  summarize(params: ActivitySearchParams): Promise<ActivitySummary | { unavailable: string }>;
}

export function isActivityUnavailable(result: ActivitySummary | { unavailable: string }): result is { unavailable: string } {
  return 'unavailable' in result;
}
