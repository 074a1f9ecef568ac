import type { AuditEntry } from '../domain/admin-change';

/** One unified audit log record as the Purview audit search returns it (time in epoch ms): id, operation, UserId, ObjectId, AuditData. */
export type UnifiedAuditRecord = AuditEntry;

export interface AuditRecordQuery {
  from: number;
  to: number;
  /** Graph auditLogRecordType values, e.g. exchangeAdmin, exchangeItem. */
  recordTypes: string[];
  /** Operations (cmdlets) to keep; all when absent. */
  operations?: readonly string[];
  /** Stop reading after this many records. */
  maxRecords: number;
}

/**
 * Raw records of the Purview audit search over a time window. Never throws
 * for a search that could not be done: it returns the reason.
 */
export interface AuditRecordSearch {
  searchRecords(query: AuditRecordQuery): Promise<{ records: UnifiedAuditRecord[]; truncated: boolean } | { unavailable: string }>;
}
