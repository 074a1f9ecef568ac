import { dueAction, expirePending, reminded, restingDueAt, startRevocation } from '../../domain/grant-rules';
import { moved } from '../../domain/transition';
import { SYSTEM_ACTOR, type AccessRequest } from '../../domain/types';
import { auditRequest } from '../audit/audit-request';
import type { AppContext } from '../context';
import { executeGrant } from './execute-grant';
import { executeRevoke } from './execute-revoke';
import { clearLease, holdClaim, whileClaimed, withoutLease } from '../persistence/leases';
import { mutateRequest } from '../persistence/mutate-request';
import { runAfterSteps } from '../notices/steps';
import { reportActivity } from './activity-report';
import { removalFirst } from './removals-first';

/**
 * What the scheduler does with a request it claimed: one small handler per
 * state. The claimed copy may be seconds old (claimed ahead), so every
 * handler's first write is conditional on it and on the claim's lease: work
 * that someone else took over or changed is skipped, never done twice.
 */
export async function processDue(ctx: AppContext, claimed: AccessRequest): Promise<void> {
  const now = ctx.clock.now();
  switch (dueAction(claimed, now)) {
    case 'remind':
      return remind(ctx, claimed);
    case 'expire':
      return expire(ctx, claimed);
    case 'revoke-expired':
      return removalFirst(ctx.removals, (beforeNotices) => revokeExpired(ctx, claimed, beforeNotices));
    case 'nothing':
      return settle(ctx, claimed);
    default:
      return actFirst(ctx, claimed);
  }
}

/** Work that calls out before it writes: hold the claim first, then act on the request as it is now. */
async function actFirst(ctx: AppContext, claimed: AccessRequest): Promise<void> {
  const held = await holdClaim(ctx, claimed);
  if (!held) return;
  switch (dueAction(held, ctx.clock.now())) {
    case 'grant':
      await auditRequest(ctx, 'grant.recovered', SYSTEM_ACTOR, held, { note: 'grant resumed after an interruption' });
      await executeGrant(ctx, held);
      return;
    case 'revoke':
      await removalFirst(ctx.removals, (beforeNotices) => executeRevoke(ctx, held, undefined, beforeNotices));
      return;
    case 'activity-report':
      await reportActivity(ctx, held);
      return;
    case 'after-steps':
      await runAfterSteps(ctx, held);
      return;
    default:
      // It changed between the claim and now into something a write-first handler deals with.
      return processDue(ctx, held);
  }
}

async function remind(ctx: AppContext, claimed: AccessRequest): Promise<void> {
  const result = await mutateRequest(
    ctx.store,
    claimed.id,
    whileClaimed(claimed, (current) => withoutLease(reminded(current, ctx.clock.now()))),
    claimed,
  );
  if (!result.ok) return;
  const request = result.request;
  await auditRequest(ctx, result.event, SYSTEM_ACTOR, request);
  await ctx.notifier.tellApprovers(
    request,
    `Reminder: ${request.id} (${request.requester.name ?? request.requester.upn} for ${request.mailbox.upn}) is still waiting for a decision and expires at ${new Date(request.pendingExpiresAt).toISOString()}.`,
  );
}

async function expire(ctx: AppContext, claimed: AccessRequest): Promise<void> {
  const result = await mutateRequest(
    ctx.store,
    claimed.id,
    whileClaimed(claimed, (current) => withoutLease(expirePending(current, ctx.clock.now()))),
    claimed,
  );
  if (!result.ok) return;
  const request = result.request;
  await auditRequest(ctx, result.event, SYSTEM_ACTOR, request);
  await ctx.notifier.refreshCards(request);
  await ctx.notifier.tellRequester(
    request,
    `${request.id} expired without a decision; nothing was granted. Submit a new request if you still need access.`,
  );
  await ctx.notifier.tellApprovers(request, `${request.id} expired without a decision.`);
  await ctx.notifier.tellSecurity('expired', request, `${request.id} expired without a decision.`);
}

async function revokeExpired(ctx: AppContext, claimed: AccessRequest, beforeNotices: () => Promise<void>): Promise<void> {
  // The write that records the intent also extends the lease for the Exchange call.
  const result = await mutateRequest(
    ctx.store,
    claimed.id,
    whileClaimed(claimed, (current) => {
      const now = ctx.clock.now();
      const started = startRevocation(current, now, 'expired');
      return started.ok
        ? { ...started, next: { ...started.next, leaseUntil: Math.max(current.leaseUntil ?? 0, now + ctx.leaseMs) } }
        : started;
    }),
    claimed,
  );
  if (!result.ok) return;
  const started = auditRequest(ctx, result.event, SYSTEM_ACTOR, result.request, { ...result.details, reason: 'expired' });
  await executeRevoke(ctx, result.request, started, beforeNotices);
}

/** Nothing to do after all (e.g. a stale due time): recompute when it is next due and free the lease. */
async function settle(ctx: AppContext, claimed: AccessRequest): Promise<void> {
  await mutateRequest(
    ctx.store,
    claimed.id,
    whileClaimed(claimed, (current) => moved({ ...clearLease(current), dueAt: restingDueAt(current, ctx.clock.now()) }, 'due.settled')),
    claimed,
  );
}
