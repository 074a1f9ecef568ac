import { activityReported } from '../../domain/grant-rules';
import { describeActivity } from '../../domain/activity-text';
import { SYSTEM_ACTOR, type AccessRequest, type ActivityReport } from '../../domain/types';
import { isActivityUnavailable } from '../../m365/activity-search';
import { auditRequest } from '../audit/audit-request';
import type { AppContext } from '../context';
import { withoutLease } from '../persistence/leases';
import { mutateRequest } from '../persistence/mutate-request';
import { errorText } from '../../shared/error-text';
import { runAfterSteps } from '../notices/steps';

/**
 * After a grant ended: ask the Purview audit search what the grantee did in
 * the mailbox during the window, attach it to the request and tell security.
 * When the search cannot be done, the request says so plainly.
 */
export async function reportActivity(ctx: AppContext, request: AccessRequest): Promise<void> {
  let report: Omit<ActivityReport, 'dueAt' | 'at'>;
  try {
    const result = await ctx.activity.summarize({
      mailbox: request.mailbox.upn,
      grantee: request.requester.upn ?? '',
      from: request.grantedAt ?? request.createdAt,
      to: request.revokedAt ?? ctx.clock.now(),
    });
    report = isActivityUnavailable(result)
      ? { status: 'unavailable', reason: result.unavailable }
      : {
          status: 'done',
          recordCount: result.recordCount,
          operations: Object.entries(result.operations)
            .map(([operation, count]) => ({ operation, count }))
            .sort((a, b) => b.count - a.count),
          firstActivityAt: result.firstActivityAt,
          lastActivityAt: result.lastActivityAt,
        };
  } catch (error) {
    report = { status: 'unavailable', reason: `the audit search failed: ${errorText(error)}` };
  }
  const result = await mutateRequest(
    ctx.store,
    request.id,
    (current) => withoutLease(activityReported(current, ctx.clock.now(), report)),
    request,
  );
  if (!result.ok) return;
  const updated = result.request;
  await auditRequest(ctx, result.event, SYSTEM_ACTOR, updated, { ...report });
  await ctx.notifier.refreshCards(updated);
  await ctx.notifier.tellSecurity(
    'activity',
    updated,
    `What ${updated.requester.upn} did in ${updated.mailbox.upn} during ${updated.id}: ${describeActivity(updated.activity)}.`,
  );
  await runAfterSteps(ctx, updated);
}
