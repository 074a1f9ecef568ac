import { activityReported } from '../domain/grant-rules';
import { SYSTEM_ACTOR, type AccessRequest, type ActivityReport } from '../domain/types';
import { isActivityUnavailable } from '../m365/activity-search';
import { auditRequest } from './audit-request';
import type { AppContext } from './context';
import { withoutLease } from './lease';
import { mutateRequest } from './mutate-request';
import { errorText } from './permission-target';
import { runAfterSteps } from './steps';

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

/**
 * After a grant ended: ask the Purview audit search what the grantee did in
 * the mailbox during the window, attach it to the request and tell security.
 * When the search cannot be done, the request says so plainly.
 */
export async function reportActivity(ctx: AppContext, request: AccessRequest): Promise<void> {
  let report: Omit<ActivityReport, 'dueAt' | 'at'>;
  try {
    const result = await ctx.activity.summarize({ mailbox: request.mailbox.upn, grantee: request.requester.upn ?? '', from: request.grantedAt ?? request.createdAt, to: request.revokedAt ?? ctx.clock.now() });
    report = isActivityUnavailable(result)
      ? { status: 'unavailable', reason: result.unavailable }
      : {
          status: 'done',
          recordCount: result.recordCount,
          operations: Object.entries(result.operations).map(([operation, count]) => ({ operation, count })).sort((a, b) => b.count - a.count),
          firstActivityAt: result.firstActivityAt,
          lastActivityAt: result.lastActivityAt,
        };
  } catch (error) {
    report = { status: 'unavailable', reason: `the audit search failed: ${errorText(error)}` };
  }
  const result = await mutateRequest(ctx.store, request.id, (current) => withoutLease(activityReported(current, ctx.clock.now(), report)));
  if (!result.ok) return;
  const updated = result.request;
  await auditRequest(ctx, result.event, SYSTEM_ACTOR, updated, { ...report });
  await ctx.notifier.refreshCards(updated);
  await ctx.notifier.tellSecurity('activity', updated, `What ${updated.requester.upn} did in ${updated.mailbox.upn} during ${updated.id}: ${describeActivity(updated.activity)}.`);
  await runAfterSteps(ctx, updated);
}
