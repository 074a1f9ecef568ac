import { pendingDueAt } from './new-request';
import { refusal } from './refusal';
import { requestParties, separationOfDuties, type Party } from './separation-of-duties';
import { moved, refused, type Transition } from './transition';
import type { AccessRequest, Person, StepState } from './types';

export interface Actor {
  person: Person;
  /** Roles the platform-authenticated person holds (resolved from configuration and the directory). */
  roles: string[];
  /** Parties the policy file adds to every matter (e.g. the requester's manager), looked up for this request. */
  alsoRefused?: Party[];
}

/** The separation-of-duties refusal for this actor on this request, if any. */
function sodProblem(request: AccessRequest, actor: Actor, act: string) {
  return separationOfDuties(actor.person, request.id, requestParties(request, { also: actor.alsoRefused }), act);
}

/** Approval roles still missing, one entry per missing approval. */
export function missingApprovals(request: AccessRequest): string[] {
  const missing: string[] = [];
  for (const requirement of request.requiredApprovals) {
    const given = request.approvals.filter((approval) => approval.role === requirement.role).length;
    for (let i = given; i < requirement.count; i++) missing.push(requirement.role);
  }
  return missing;
}

export function unfinishedBeforeSteps(request: AccessRequest) {
  return request.steps.filter((step) => step.phase === 'before' && step.status !== 'done' && step.status !== 'waived');
}

/** Whether this person could still add an approval (used for role-specific card views too). */
export function canStillApprove(request: AccessRequest, actor: Actor): boolean {
  return checkApprover(request, actor) === null;
}

function checkApprover(request: AccessRequest, actor: Actor, now?: number) {
  if (request.status !== 'pending') return refusal('not-pending', `${request.id} is ${request.status}; it can no longer be approved.`);
  if (now !== undefined && now >= request.pendingExpiresAt)
    return refusal(
      'not-pending',
      `${request.id} expired undecided at ${new Date(request.pendingExpiresAt).toISOString()}; it can no longer be approved.`,
    );
  const conflict = sodProblem(request, actor, 'approve');
  if (conflict) return conflict;
  if (request.approvals.some((approval) => approval.approver.aadObjectId === actor.person.aadObjectId))
    return refusal('already-approved', `You already approved ${request.id}; a different person must give the remaining approval.`);
  const requiredRoles = new Set(request.requiredApprovals.map((requirement) => requirement.role));
  if (!actor.roles.some((role) => requiredRoles.has(role)))
    return refusal('not-approver', `You are not an approver for ${request.id} (needs: ${[...requiredRoles].join(', ')}).`);
  const missing = missingApprovals(request);
  if (!missing.some((role) => actor.roles.includes(role)))
    return refusal('role-satisfied', `The approvals your role can give are complete; ${request.id} still needs: ${missing.join(', ')}.`);
  return null;
}

/** Steps a role must wait for (the pack's `afterSteps`) that are not recorded yet. */
export function stepsBeforeRole(request: AccessRequest, role: string): StepState[] {
  const after = request.requiredApprovals.find((requirement) => requirement.role === role)?.afterSteps ?? [];
  return unfinishedBeforeSteps(request).filter((step) => after.includes(step.id));
}

/** Every required approval and every before-step is in: the grant can start. */
export function readyToGrant(request: AccessRequest): boolean {
  return missingApprovals(request).length === 0 && unfinishedBeforeSteps(request).length === 0;
}

/**
 * Records the approval into a role still missing; approvals and steps land in
 * any order, except for a role the pack makes wait for given steps. Whichever
 * of them lands last moves the request to "granting".
 */
export function approve(request: AccessRequest, actor: Actor, now: number, comment?: string): Transition {
  const problem = checkApprover(request, actor, now);
  if (problem) return refused(problem);
  const fillable = missingApprovals(request).filter((missingRole) => actor.roles.includes(missingRole));
  const role = fillable.find((candidate) => stepsBeforeRole(request, candidate).length === 0);
  if (role === undefined) {
    const waiting = stepsBeforeRole(request, fillable[0]);
    return refused(
      refusal(
        'steps-incomplete',
        `The ${fillable[0]} approval is possible once these steps are done: ${waiting.map((step) => step.label).join('; ')}.`,
      ),
    );
  }
  const approvals = [...request.approvals, { approver: actor.person, role, at: now, comment }];
  const withApproval = { ...request, approvals };
  if (!readyToGrant(withApproval))
    return moved({ ...withApproval, dueAt: pendingDueAt(withApproval) }, 'request.approval-recorded', { role, comment });
  return moved({ ...withApproval, status: 'granting', dueAt: now }, 'request.approved', { role, comment });
}

/** Any person who could approve may reject; the request ends. */
export function reject(request: AccessRequest, actor: Actor, now: number, comment?: string): Transition {
  const problem = checkApprover(request, actor, now);
  if (problem && problem.code !== 'already-approved' && problem.code !== 'role-satisfied') return refused(problem);
  return moved({ ...request, status: 'rejected', decision: { by: actor.person, at: now, comment }, dueAt: null }, 'request.rejected', {
    comment,
  });
}

/** The requester withdraws a pending request. */
export function cancel(request: AccessRequest, by: Person, now: number): Transition {
  if (by.aadObjectId !== request.requester.aadObjectId)
    return refused(refusal('not-requester', `Only the requester can cancel ${request.id}.`));
  if (request.status !== 'pending')
    return refused(refusal('not-pending', `${request.id} is ${request.status}; only pending requests can be cancelled.`));
  return moved({ ...request, status: 'cancelled', decision: { by, at: now }, dueAt: null }, 'request.cancelled');
}

/** Records an attestation by a person holding the step's role, or why it was not possible. */
export function attest(
  request: AccessRequest,
  stepId: string,
  actor: Actor,
  now: number,
  outcome: 'done' | 'not-possible',
  note?: string,
): Transition {
  if (request.status !== 'pending' || now >= request.pendingExpiresAt)
    return refused(
      refusal('not-pending', `${request.id} is ${request.status === 'pending' ? 'expired' : request.status}; steps can no longer change.`),
    );
  const step = request.steps.find((candidate) => candidate.id === stepId);
  if (!step || step.kind !== 'attest') return refused(refusal('unknown-step', `${request.id} has no attestation step "${stepId}".`));
  if (step.status === 'done' || step.status === 'waived') return refused(refusal('step-done', `"${step.label}" was already recorded.`));
  const conflict = sodProblem(request, actor, `record "${step.label}" for`);
  if (conflict) return refused(conflict);
  if (step.target && !actor.roles.includes(step.target))
    return refused(refusal('not-allowed', `Only the ${step.target} role can record "${step.label}".`));
  if (outcome === 'not-possible' && !note?.trim())
    return refused(refusal('not-allowed', 'Say why it was not possible; the employee will be told afterwards.'));
  const steps = request.steps.map((candidate) =>
    candidate.id === stepId
      ? { ...candidate, status: outcome === 'done' ? ('done' as const) : ('waived' as const), by: actor.person, at: now, note }
      : candidate,
  );
  let next: AccessRequest = { ...request, steps };
  if (outcome === 'not-possible') next = ensureAfterAccessNotice({ ...next, flags: { ...next.flags, advanceNoticeWithheld: true } });
  // The last missing piece may be this step, when every approval came first.
  if (readyToGrant(next))
    return moved({ ...next, status: 'granting', dueAt: now }, 'step.attested', { step: stepId, outcome, note, approved: true });
  return moved(next, 'step.attested', { step: stepId, outcome, note });
}

export function ensureAfterAccessNotice(request: AccessRequest): AccessRequest {
  if (request.steps.some((step) => step.kind === 'after-access-notice')) return request;
  return {
    ...request,
    steps: [
      ...request.steps,
      {
        id: 'after-access-notice',
        kind: 'after-access-notice',
        label: 'Tell the employee after access ended',
        target: 'employee',
        phase: 'after',
        status: 'pending',
      },
    ],
  };
}
