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
import { withLease } from '../persistence/leases';
import { mutateRequest } from '../persistence/mutate-request';

export type DecisionResult = { ok: true; request: AccessRequest } | { ok: false; refusal: Refusal; request: AccessRequest | null };

/** Refusals that suggest someone tried what they may not: the security team hears of them. */
const SUSPICIOUS = new Set(['self-approval', 'mailbox-owner', 'not-approver', 'not-allowed']);

async function actorFor(ctx: AppContext, person: Person): Promise<Actor> {
  return { person, roles: await ctx.roles.rolesOf(person) };
}

/**
 * Runs one person's action on a request: decide, write conditionally, audit,
 * refresh the cards. Refusals are audited too, and suspicious ones reported.
 */
async function act(
  ctx: AppContext,
  person: Person,
  id: string,
  action: string,
  decide: (current: AccessRequest, now: number) => Transition,
): Promise<DecisionResult> {
  const result = await mutateRequest(ctx.store, id, (current) => decide(current, ctx.clock.now()));
  if (!result.ok) {
    await auditRequest(ctx, `refused.${action}`, person, result.request, {
      code: result.refusal.code,
      reason: result.refusal.message,
      requestId: id,
    });
    if (SUSPICIOUS.has(result.refusal.code) && result.request)
      await ctx.notifier.tellSecurity(
        'refused',
        result.request,
        `Refused ${action} by ${person.name ?? person.aadObjectId} on ${id}: ${result.refusal.message}`,
      );
    return result;
  }
  await auditRequest(ctx, result.event, person, result.request, result.details);
  await ctx.notifier.refreshCards(result.request);
  return { ok: true, request: result.request };
}

export async function approveRequest(ctx: AppContext, person: Person, id: string, comment?: string): Promise<DecisionResult> {
  const actor = await actorFor(ctx, person);
  const outcome = await act(ctx, person, id, 'approve', (current, now) =>
    withLease(approve(current, actor, now, comment), ctx.instanceId, now + ctx.leaseMs),
  );
  if (!outcome.ok || outcome.request.status !== 'granting') return outcome;
  await ctx.notifier.tellRequester(
    outcome.request,
    `${outcome.request.id} was approved by ${outcome.request.approvals.map((approval) => approval.approver.name ?? approval.approver.aadObjectId).join(' and ')}; granting now.`,
  );
  return { ok: true, request: await executeGrant(ctx, outcome.request) };
}

export async function rejectRequest(ctx: AppContext, person: Person, id: string, comment?: string): Promise<DecisionResult> {
  const actor = await actorFor(ctx, person);
  const outcome = await act(ctx, person, id, 'reject', (current, now) => reject(current, actor, now, comment));
  if (outcome.ok) {
    const why = comment ? `: ${comment}` : '.';
    await ctx.notifier.tellRequester(outcome.request, `${id} was rejected by ${person.name ?? person.aadObjectId}${why}`);
    await ctx.notifier.tellSecurity('rejected', outcome.request, `${id} was rejected by ${person.name ?? person.aadObjectId}${why}`);
  }
  return outcome;
}

export async function attestStep(
  ctx: AppContext,
  person: Person,
  id: string,
  stepId: string,
  outcomeKind: 'done' | 'not-possible',
  note?: string,
): Promise<DecisionResult> {
  const actor = await actorFor(ctx, person);
  return act(ctx, person, id, 'attest', (current, now) => attest(current, stepId, actor, now, outcomeKind, note));
}

export async function cancelRequest(ctx: AppContext, person: Person, id: string): Promise<DecisionResult> {
  const outcome = await act(ctx, person, id, 'cancel', (current, now) => cancel(current, person, now));
  if (outcome.ok) await ctx.notifier.tellApprovers(outcome.request, `${id} was cancelled by the requester; no decision is needed.`);
  return outcome;
}

/** Ends an active grant early: the requester ("release") or the security team ("manual"). */
export async function releaseGrant(ctx: AppContext, person: Person, id: string): Promise<DecisionResult> {
  const isSecurity = await ctx.roles.hasRole(person, ROLE_SECURITY);
  const outcome = await act(ctx, person, id, 'release', (current, now) => {
    const transition =
      current.requester.aadObjectId === person.aadObjectId || !isSecurity
        ? release(current, person, now)
        : startRevocation(current, now, 'manual', person);
    return withLease(transition, ctx.instanceId, now + ctx.leaseMs);
  });
  if (!outcome.ok) return outcome;
  return { ok: true, request: await executeRevoke(ctx, outcome.request) };
}
