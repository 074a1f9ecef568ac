import { formatDuration } from '../../domain/duration';
import { grantConfirmed, grantFailed } from '../../domain/grant-rules';
import { describeAccess, isFolderLevel } from '../../domain/access-level';
import { formatUtc } from '../../domain/time-format';
import { SYSTEM_ACTOR, type AccessRequest } from '../../domain/types';
import { auditRequest } from '../audit/audit-request';
import type { AppContext } from '../context';
import { executeRevoke } from './execute-revoke';
import { withoutLease } from '../persistence/leases';
import { mutateRequest } from '../persistence/mutate-request';
import { errorText } from '../../shared/error-text';
import { permissionTarget } from './permission-target';

/**
 * Applies an approved request in Exchange. The request is already persisted as
 * "granting" (intent); it becomes "active" only after Exchange confirmed.
 */
export async function executeGrant(ctx: AppContext, request: AccessRequest): Promise<AccessRequest> {
  await auditRequest(ctx, 'grant.attempted', SYSTEM_ACTOR, request, {
    access: request.access,
    folder: request.folder,
    grantee: request.requester.upn,
  });
  let landedOn: string | undefined;
  try {
    landedOn = (await ctx.exchange.grant(permissionTarget(request)))?.folder;
  } catch (error) {
    return failGrant(ctx, request, errorText(error));
  }
  // A folder grant records the folder as the mailbox names it ("Innboks" for Inbox), for the card, the audit and the revocation.
  const landed = (current: AccessRequest) => (landedOn && isFolderLevel(current.access) ? { ...current, folder: landedOn } : current);
  const result = await mutateRequest(
    ctx.store,
    request.id,
    (current) => withoutLease(grantConfirmed(landed(current), ctx.clock.now())),
    request,
  );
  if (!result.ok) {
    // Someone else already moved it on (another instance recovered the same grant); nothing more to do here.
    ctx.logger.info({ requestId: request.id, refusal: result.refusal.code }, 'grant confirmation skipped');
    return result.request ?? request;
  }
  const active = result.request;
  await auditRequest(ctx, result.event, SYSTEM_ACTOR, active, {
    expiresAt: new Date(active.expiresAt!).toISOString(),
    ...(landedOn ? { folder: landedOn } : {}),
  });
  await ctx.notifier.refreshCards(active);
  const until = formatUtc(active.expiresAt);
  await ctx.notifier.tellRequester(
    active,
    `Access granted: ${describeAccess(active.access, active.folder)} on ${active.mailbox.upn} for ${formatDuration(active.durationMinutes)}, until ${until} (${active.id}). It is revoked automatically; use "release ${active.id}" when you are done. Everything you do in the mailbox is audited and reviewed.`,
  );
  await ctx.notifier.tellSecurity(
    'granted',
    active,
    `${active.requester.name ?? active.requester.upn} was granted ${describeAccess(active.access, active.folder)} on ${active.mailbox.upn} until ${until}.`,
  );
  return active;
}

async function failGrant(ctx: AppContext, request: AccessRequest, error: string): Promise<AccessRequest> {
  const result = await mutateRequest(
    ctx.store,
    request.id,
    (current) => withoutLease(grantFailed(current, ctx.clock.now(), error)),
    request,
  );
  if (!result.ok) return result.request ?? request;
  await auditRequest(ctx, result.event, SYSTEM_ACTOR, result.request, { error });
  await ctx.notifier.refreshCards(result.request);
  await ctx.notifier.tellRequester(
    result.request,
    `Exchange did not grant access for ${request.id}: ${error}. Nothing was granted; anything partly applied is being removed.`,
  );
  await ctx.notifier.tellSecurity('grant-failed', result.request, `Granting ${request.id} failed: ${error}. Cleanup revocation started.`);
  return executeRevoke(ctx, result.request);
}
