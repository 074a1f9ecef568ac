import { dueAction, expirePending, reminded, restingDueAt, startRevocation } from '../domain/grant-rules';
import { moved } from '../domain/transition';
import { SYSTEM_ACTOR, type AccessRequest } from '../domain/types';
import { auditRequest } from './audit-request';
import type { AppContext } from './context';
import { executeGrant } from './execute-grant';
import { executeRevoke } from './execute-revoke';
import { clearLease, withoutLease } from './lease';
import { mutateRequest } from './mutate-request';
import { runAfterSteps } from './steps';
import { reportActivity } from './activity-report';

/** What the scheduler does with a request it claimed: one small handler per state. */
export async function processDue(ctx: AppContext, claimed: AccessRequest): Promise<void> {
  const now = ctx.clock.now();
  switch (dueAction(claimed, now)) {
    case 'remind':
      return remind(ctx, claimed);
    case 'expire':
      return expire(ctx, claimed);
    case 'grant':
      await auditRequest(ctx, 'grant.recovered', SYSTEM_ACTOR, claimed, { note: 'grant resumed after an interruption' });
      await executeGrant(ctx, claimed);
      return;
    case 'revoke-expired':
      return revokeExpired(ctx, claimed);
    case 'revoke':
      await executeRevoke(ctx, claimed);
      return;
    case 'activity-report':
      await reportActivity(ctx, claimed);
      return;
    case 'after-steps':
      await runAfterSteps(ctx, claimed);
      return;
    case 'nothing':
      await settle(ctx, claimed);
  }
}

async function remind(ctx: AppContext, request: AccessRequest): Promise<void> {
  const result = await mutateRequest(ctx.store, request.id, (current) => withoutLease(reminded(current, ctx.clock.now())));
  if (!result.ok) return;
  await auditRequest(ctx, result.event, SYSTEM_ACTOR, result.request);
  await ctx.notifier.tellApprovers(result.request, `Reminder: ${request.id} (${request.requester.name ?? request.requester.upn} for ${request.mailbox.upn}) is still waiting for a decision and expires at ${new Date(request.pendingExpiresAt).toISOString()}.`);
}

async function expire(ctx: AppContext, request: AccessRequest): Promise<void> {
  const result = await mutateRequest(ctx.store, request.id, (current) => withoutLease(expirePending(current, ctx.clock.now())));
  if (!result.ok) return;
  await auditRequest(ctx, result.event, SYSTEM_ACTOR, result.request);
  await ctx.notifier.refreshCards(result.request);
  await ctx.notifier.tellRequester(result.request, `${request.id} expired without a decision; nothing was granted. Submit a new request if you still need access.`);
  await ctx.notifier.tellApprovers(result.request, `${request.id} expired without a decision.`);
  await ctx.notifier.tellSecurity('expired', result.request, `${request.id} expired without a decision.`);
}

async function revokeExpired(ctx: AppContext, request: AccessRequest): Promise<void> {
  const result = await mutateRequest(ctx.store, request.id, (current) => startRevocation(current, ctx.clock.now(), 'expired'));
  if (!result.ok) return;
  await auditRequest(ctx, result.event, SYSTEM_ACTOR, result.request, { reason: 'expired' });
  await executeRevoke(ctx, result.request);
}

/** Nothing to do after all (e.g. a stale due time): recompute when it is next due and free the lease. */
async function settle(ctx: AppContext, request: AccessRequest): Promise<void> {
  await mutateRequest(ctx.store, request.id, (current) => moved({ ...clearLease(current), dueAt: restingDueAt(current, ctx.clock.now()) }, 'due.settled'));
}
