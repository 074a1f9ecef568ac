import { createHash } from 'node:crypto';
import type { TraceFinding } from '../../domain/trace-finding';
import type { PostedRef } from '../../domain/review-record';
import type { Store } from '../../store/store';
import { RecordRepo } from '../persistence/record-repo';

export const TRACE_FINDING_KIND = 'trace-finding';
export const TRACE_WINDOW_KIND = 'trace-window';

/** How far a correlation has read the audit log: everything created before `coveredUntil` was searched. */
export interface CoveredWindow {
  coveredUntil: number;
  lastRunId: string;
  lastRunAt: number;
}

export function traceFindingRecords(store: Store): RecordRepo<TraceFinding> {
  return new RecordRepo<TraceFinding>(store, TRACE_FINDING_KIND, (finding) => finding.status);
}

export function coveredWindows(store: Store): RecordRepo<CoveredWindow> {
  return new RecordRepo<CoveredWindow>(store, TRACE_WINDOW_KIND, () => 'active');
}

/** "TRC-" + 12 hex digits of the record's ID: a record seen again (overlapping windows, a restart) is the same finding. */
export function traceFindingIdFor(recordId: string): string {
  return `TRC-${createHash('sha256').update(recordId).digest('hex').slice(0, 12)}`;
}

export function isTraceFindingId(text: string): boolean {
  return /^TRC-[0-9a-f]{12}$/.test(text);
}

/** How trace finding cards reach the security conversation (implemented by the Teams layer). */
export interface TraceCards {
  postTraceFinding(finding: TraceFinding): Promise<PostedRef | undefined>;
  updateTraceFinding(posted: PostedRef, finding: TraceFinding): Promise<void>;
}
