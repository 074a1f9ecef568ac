import { describeAccess } from '../../domain/access-level';
import { formatUtc } from '../../domain/time-format';
import { revokeConfirmed, revokeFailed } from '../../domain/grant-rules';
import { SYSTEM_ACTOR, type AccessRequest } from '../../domain/types';
import { auditRequest } from '../audit/audit-request';
import type { AppContext } from '../context';
import { withoutLease } from '../persistence/leases';
import { mutateRequest } from '../persistence/mutate-request';
import { errorText } from '../../shared/error-text';
import { permissionTarget } from './permission-target';

const REASON_TEXT = {
  expired: 'the grant expired',
  released: 'the requester released it',
  manual: 'the security team ended it',
  grant_failed: 'cleanup after a failed grant',
} as const;
const REASON_FOR_REQUESTER = { ...REASON_TEXT, released: 'you released it' } as const;

/**
 * What Exchange confirmed, and no more: a removal reaches open Outlook sessions
 * only when their cached permissions refresh, which can take minutes (fact 11
 * of real-tenant.md; Microsoft: "Manage permissions for recipients in Exchange Online").
 */
function removedAt(at: number | undefined): string {
  const when = at ? `${formatUtc(at)}` : 'now';
  return `Removed in Exchange at ${when}; sessions that were already open (Outlook, for example) may keep working for a few minutes until they refresh.`;
}

/**
 * Removes the permission in Exchange. The request is already "revoking"
 * (intent); it is marked revoked only when Exchange confirmed. Failures are
 * retried with backoff by the scheduler and raised to the security team.
 * `recorded` is an audit append the caller started for this revocation
 * (e.g. "revoke.started"): both are in the trail before Exchange is called,
 * written together rather than one after the other.
 */
export async function executeRevoke(
  ctx: AppContext,
  request: AccessRequest,
  recorded: Promise<void> = Promise.resolve(),
  /** Awaited after the outcome is stored and before cards and notices (see removals-first.ts). */
  beforeNotices: () => Promise<void> = () => Promise.resolve(),
): Promise<AccessRequest> {
  const attempted = auditRequest(ctx, 'revoke.attempted', SYSTEM_ACTOR, request, {
    attempt: request.revokeAttempts + 1,
    reason: request.revokeReason,
  });
  await Promise.all([recorded, attempted]);
  try {
    await ctx.exchange.revoke(permissionTarget(request));
  } catch (error) {
    return failRevoke(ctx, request, errorText(error));
  }
  const result = await mutateRequest(
    ctx.store,
    request.id,
    (current) => withoutLease(revokeConfirmed(current, ctx.clock.now(), ctx.activityDelayMs)),
    request,
  );
  if (!result.ok) return result.request ?? request;
  const done = result.request;
  await auditRequest(ctx, result.event, SYSTEM_ACTOR, done, { reason: done.revokeReason });
  await beforeNotices();
  await ctx.notifier.refreshCards(done);
  if (done.status === 'revoked') {
    const why = REASON_TEXT[done.revokeReason ?? 'expired'];
    const removed = removedAt(done.revokedAt ?? ctx.clock.now());
    await ctx.notifier.tellRequester(
      done,
      `Access ended for ${done.id} (${describeAccess(done.access, done.folder)} on ${done.mailbox.upn}): ${REASON_FOR_REQUESTER[done.revokeReason ?? 'expired']}. ${removed}`,
    );
    await ctx.notifier.tellSecurity(
      'revoked',
      done,
      `Revoked ${describeAccess(done.access, done.folder)} of ${done.requester.upn} on ${done.mailbox.upn}: ${why}. ${removed}`,
    );
  } else {
    await ctx.notifier.tellSecurity(
      'revoked',
      done,
      `Cleanup after the failed grant of ${done.id} confirmed: ${done.requester.upn} holds nothing on ${done.mailbox.upn}.`,
    );
  }
  // The activity search and after-access notices run as due work (the search may wait for audit data).
  return done;
}

async function failRevoke(ctx: AppContext, request: AccessRequest, error: string): Promise<AccessRequest> {
  let raise = false;
  const result = await mutateRequest(
    ctx.store,
    request.id,
    (current) => {
      const transition = revokeFailed(current, ctx.clock.now(), error);
      raise = transition.ok && transition.raiseManualAction === true;
      return withoutLease(transition);
    },
    request,
  );
  if (!result.ok) return result.request ?? request;
  const failed = result.request;
  await auditRequest(ctx, result.event, SYSTEM_ACTOR, failed, { error, attempts: failed.revokeAttempts, nextAttemptAt: failed.dueAt });
  ctx.logger.warn({ requestId: failed.id, attempts: failed.revokeAttempts, error }, 'revocation failed; will retry');
  if (raise) {
    await auditRequest(ctx, 'revoke.manual-action-raised', SYSTEM_ACTOR, failed, { attempts: failed.revokeAttempts });
    await ctx.notifier.tellSecurity(
      'revoke-manual-action',
      failed,
      `MANUAL ACTION NEEDED: revoking ${describeAccess(failed.access, failed.folder)} of ${failed.requester.upn} on ${failed.mailbox.upn} (${failed.id}) failed ${failed.revokeAttempts} times. Last error: ${error}. Custodian keeps retrying; remove the permission in Exchange if it persists.`,
    );
  }
  return failed;
}
