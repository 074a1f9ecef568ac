import { approve, attest, cancel, reject, type Actor } from '../../domain/approval-rules';
import { release, startRevocation } from '../../domain/grant-rules';
import { ROLE_SECURITY } from '../../domain/policy';
import type { Refusal } from '../../domain/refusal';
import type { Transition } from '../../domain/transition';
import type { AccessRequest, Person } from '../../domain/types';
import { auditRequest } from '../audit/audit-request';
import type { AppContext } from '../context';
import { executeGrant } from '../grants/execute-grant';
import { executeRevoke } from '../grants/execute-revoke';
import { policyParties } from '../roles/judgement-parties';
import { withLease } from '../persistence/leases';
import { mutateRequest } from '../persistence/mutate-request';

/** `settled`: the work after the answer (card copies, notices, Exchange), tracked by ctx.afterAnswer; it never rejects. */
export type DecisionResult =
  { ok: true; request: AccessRequest; settled: Promise<unknown> } | { ok: false; refusal: Refusal; request: AccessRequest | null };

/** Refusals that suggest someone tried what they may not: the security team hears of them. */
const SUSPICIOUS = new Set(['separation-of-duties', 'not-approver', 'not-allowed']);

/** The judge with their roles and, when the policy file asks for them, the request's extra parties (managers). */
async function actorFor(ctx: AppContext, person: Person, id: string): Promise<Actor> {
  const roles = await ctx.roles.rolesOf(person);
  if (!ctx.policies.separationOfDuties?.alsoRefuse.length) return { person, roles };
  // Requester and mailbox never change, so the parties read now hold for the conditional write that follows.
  const request = await ctx.store.getRequest(id);
  if (!request) return { person, roles };
  const alsoRefused = await policyParties(ctx, {
    requester: { aadObjectId: request.requester.aadObjectId },
    owner: { aadObjectId: request.mailbox.objectId, address: request.mailbox.upn },
  });
  return { person, roles, alsoRefused };
}

/**
 * Runs one person's action on a request: decide, write conditionally, audit,
 * and answer. Everything that reaches outside the store (refreshing the other
 * copies of the card, notices, Exchange through `after`) runs after the
 * answer, in that order. Refusals are audited too, and suspicious ones reported.
 */
export async function act(
  ctx: AppContext,
  person: Person,
  id: string,
  action: string,
  decide: (current: AccessRequest, now: number) => Transition,
  after?: (request: AccessRequest) => Promise<unknown>,
): Promise<DecisionResult> {
  const result = await mutateRequest(ctx.store, id, (current) => decide(current, ctx.clock.now()), ctx.recentRequest?.(id));
  if (!result.ok) {
    await auditRequest(ctx, `refused.${action}`, person, result.request, {
      code: result.refusal.code,
      reason: result.refusal.message,
      requestId: id,
      ...('part' in result.refusal && { part: result.refusal.part }),
    });
    const refused = result.request;
    if (SUSPICIOUS.has(result.refusal.code) && refused)
      void ctx.afterAnswer.run({ name: `refused.${action}`, requestId: id, actor: person }, () =>
        ctx.notifier.tellSecurity(
          'refused',
          refused,
          `Refused ${action} by ${person.name ?? person.aadObjectId} on ${id}: ${result.refusal.message}`,
        ),
      );
    return result;
  }
  await auditRequest(ctx, result.event, person, result.request, result.details);
  const request = result.request;
  const settled = ctx.afterAnswer.run({ name: action, requestId: id, actor: person }, async () => {
    await ctx.notifier.refreshCards(request);
    await after?.(request);
  });
  return { ok: true, request, settled };
}

/**
 * A judgement (approve, reject, attest, an extension's decision): the decide
 * flow of `act`, with the judge's roles and any policy-named parties resolved
 * first, for the separation-of-duties rule the transition applies.
 */
export async function judge(
  ctx: AppContext,
  person: Person,
  id: string,
  action: string,
  decide: (current: AccessRequest, actor: Actor, now: number) => Transition,
  after?: (request: AccessRequest) => Promise<unknown>,
): Promise<DecisionResult> {
  const actor = await actorFor(ctx, person, id);
  return act(ctx, person, id, action, (current, now) => decide(current, actor, now), after);
}

/** The last approval stores "granting" and answers; the Exchange grant and its notices follow after the answer. */
export async function approveRequest(ctx: AppContext, person: Person, id: string, comment?: string): Promise<DecisionResult> {
  return judge(
    ctx,
    person,
    id,
    'approve',
    (current, actor, now) => withLease(approve(current, actor, now, comment), ctx.instanceId, now + ctx.leaseMs),
    async (approved) => {
      if (approved.status === 'granting') await grantApproved(ctx, approved);
    },
  );
}

/** The last approval or step landed: tell the requester, then ask Exchange. */
async function grantApproved(ctx: AppContext, approved: AccessRequest): Promise<void> {
  await ctx.notifier.tellRequester(
    approved,
    `${approved.id} was approved by ${approved.approvals.map((approval) => approval.approver.name ?? approval.approver.aadObjectId).join(' and ')}; granting now.`,
  );
  await executeGrant(ctx, approved);
}

export async function rejectRequest(ctx: AppContext, person: Person, id: string, comment?: string): Promise<DecisionResult> {
  const why = `${id} was rejected by ${person.name ?? person.aadObjectId}${comment ? `: ${comment}` : '.'}`;
  return judge(
    ctx,
    person,
    id,
    'reject',
    (current, actor, now) => reject(current, actor, now, comment),
    async (rejected) => {
      await ctx.notifier.tellRequester(rejected, why);
      await ctx.notifier.tellSecurity('rejected', rejected, why);
    },
  );
}

export async function attestStep(
  ctx: AppContext,
  person: Person,
  id: string,
  stepId: string,
  outcomeKind: 'done' | 'not-possible',
  note?: string,
): Promise<DecisionResult> {
  return judge(
    ctx,
    person,
    id,
    'attest',
    (current, actor, now) => {
      const attested = attest(current, stepId, actor, now, outcomeKind, note);
      // Only a step that completes the request starts inline work (the grant), so only then is the lease taken.
      return attested.ok && attested.next.status === 'granting' ? withLease(attested, ctx.instanceId, now + ctx.leaseMs) : attested;
    },
    // When every approval came before this step, the step completes the request: grant now.
    (attested) => (attested.status === 'granting' ? grantApproved(ctx, attested) : Promise.resolve()),
  );
}

export async function cancelRequest(ctx: AppContext, person: Person, id: string): Promise<DecisionResult> {
  return act(
    ctx,
    person,
    id,
    'cancel',
    (current, now) => cancel(current, person, now),
    (cancelled) => ctx.notifier.tellApprovers(cancelled, `${id} was cancelled by the requester; no decision is needed.`),
  );
}

/**
 * Ends an active grant early: the requester ("release") or the security team
 * ("manual"). Stores "revoking" and answers; Exchange is asked after the
 * answer, and the revocation itself announces what Exchange confirmed.
 */
export async function releaseGrant(ctx: AppContext, person: Person, id: string): Promise<DecisionResult> {
  const isSecurity = await ctx.roles.hasRole(person, ROLE_SECURITY);
  return act(
    ctx,
    person,
    id,
    'release',
    (current, now) => {
      const transition =
        current.requester.aadObjectId === person.aadObjectId || !isSecurity
          ? release(current, person, now)
          : startRevocation(current, now, 'manual', person);
      return withLease(transition, ctx.instanceId, now + ctx.leaseMs);
    },
    (revoking) => executeRevoke(ctx, revoking),
  );
}
