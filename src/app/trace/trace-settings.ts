/** Which mailboxes the access-without-a-grant check watches (CUSTODIAN_TRACE_ACCESS_MAILBOXES: off, all, jurisdiction:NO or addresses). */
export type AccessWatch =
  { kind: 'off' } | { kind: 'all' } | { kind: 'list'; mailboxes: string[] } | { kind: 'jurisdiction'; code: string };

export interface TraceSettings {
  /** UTC cron of the correlation job; null: only when asked. */
  cron: string | null;
  /** Each search reaches back this far before the covered time (records arrive late). */
  lateMs: number;
  /** A failed or throttled search is tried this many times per run, this long apart. */
  attempts: number;
  retryDelayMs: number;
  /** Records read per search at most. */
  maxRecords: number;
  /** Access-without-a-grant alerts per run at most; the rest waits for the next run. */
  maxAccessAlerts: number;
  accessWatch: AccessWatch;
  /** Custodian's own app (AppId in the audit log). */
  appId: string;
}
