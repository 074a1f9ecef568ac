import type { ActivityReport } from './types';

/** Plain words for a report, used on cards, notices and the after-access e-mail. */
export function describeActivity(report: ActivityReport | undefined): string {
  if (!report) return 'not applicable (access was never granted)';
  if (report.status === 'pending') return 'not yet available (the audit search runs after access ends)';
  if (report.status === 'unavailable') return `not available: ${report.reason ?? 'unknown reason'}`;
  if (!report.recordCount) return 'no recorded activity in the mailbox during the access window';
  const counts = (report.operations ?? []).map((entry) => `${entry.operation} ×${entry.count}`).join(', ');
  const first = report.firstActivityAt !== undefined ? new Date(report.firstActivityAt).toISOString() : '?';
  const last = report.lastActivityAt !== undefined ? new Date(report.lastActivityAt).toISOString() : '?';
  return `${report.recordCount} audit records (${counts}); first ${first}, last ${last}`;
}
