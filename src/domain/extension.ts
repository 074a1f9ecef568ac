import type { Actor } from './approval-rules';
import { formatDuration } from './duration';
import type { ExtensionPolicy } from './policy';
import { refusal, type Refusal } from './refusal';
import { requestParties, separationOfDuties } from './separation-of-duties';
import { formatUtc } from './time-format';
import { moved, refused, type Transition } from './transition';
import type { AccessRequest, GrantExtension, Person } from './types';

// Extensions: more time on an active grant, asked for by its requester and
// decided by people other than the requester and the mailbox owner. On
// approval the expiry moves (and with it the scheduler's due time); on
// rejection, or when the grant ends first, nothing changes.

const MINUTE = 60_000;

/** The extension waiting for a decision, if any. */
export function pendingExtension(request: AccessRequest): GrantExtension | undefined {
  return request.extensions?.find((extension) => extension.status === 'pending');
}

/** How long the grant lasts in total: the approved duration plus every approved extension. */
export function totalGrantMinutes(request: AccessRequest): number {
  const extended = (request.extensions ?? []).filter((extension) => extension.status === 'approved');
  return extended.reduce((total, extension) => total + extension.minutes, request.durationMinutes);
}

/** Approval roles the pending extension still needs, one entry per missing approval. */
export function missingExtensionApprovals(extension: GrantExtension): string[] {
  return extension.requiredApprovals.flatMap((requirement) => {
    const given = extension.approvals.filter((approval) => approval.role === requirement.role).length;
    return Array.from({ length: Math.max(0, requirement.count - given) }, () => requirement.role);
  });
}

export interface ExtensionAsk {
  minutes: number;
  reason: string;
}

/** The requester asks for more time; the pack decides whether that is possible and how much. */
export function requestExtension(
  request: AccessRequest,
  by: Person,
  now: number,
  ask: ExtensionAsk,
  policy: ExtensionPolicy,
  packCode: string,
): Transition {
  if (by.aadObjectId !== request.requester.aadObjectId)
    return refused(refusal('not-requester', `Only the requester can ask to extend ${request.id}.`));
  if (request.status !== 'active' || request.expiresAt === undefined)
    return refused(refusal('not-active', `${request.id} is ${request.status}; only an active grant can be extended.`));
  if (now >= request.expiresAt)
    return refused(
      refusal('not-active', `${request.id} expired at ${formatUtc(request.expiresAt)}; submit a new request if you still need access.`),
    );
  if (!policy.allowed)
    return refused(refusal('extension-refused', `The ${packCode} pack does not allow extensions; submit a new request instead.`));
  if (pendingExtension(request))
    return refused(refusal('extension-refused', `${request.id} already has an extension waiting for a decision.`));
  if (!Number.isInteger(ask.minutes) || ask.minutes <= 0)
    return refused(refusal('extension-refused', 'Say how much longer, like "for 2h" (units m, h or d).'));
  if (!ask.reason.trim())
    return refused(refusal('extension-refused', `Say why you need more time: extend ${request.id} for 2h because <reason>.`));
  const total = totalGrantMinutes(request) + ask.minutes;
  if (total > policy.maxTotalMinutes) {
    const left = policy.maxTotalMinutes - totalGrantMinutes(request);
    return refused(
      refusal(
        'extension-refused',
        `${formatDuration(ask.minutes)} more would make ${request.id} last ${formatDuration(total)} in total; the longest ${packCode} allows is ${formatDuration(policy.maxTotalMinutes)}` +
          (left > 0 ? ` (at most ${formatDuration(left)} more).` : ', and it is reached.'),
      ),
    );
  }
  const requirements = policy.approvals ?? request.requiredApprovals;
  const extension: GrantExtension = {
    minutes: ask.minutes,
    reason: ask.reason.trim(),
    requestedBy: by,
    requestedAt: now,
    fromExpiresAt: request.expiresAt,
    requiredApprovals: requirements.map(({ role, count }) => ({ role, count })),
    approvals: [],
    status: 'pending',
  };
  return moved({ ...request, extensions: [...(request.extensions ?? []), extension] }, 'extension.requested', {
    minutes: ask.minutes,
    reason: extension.reason,
    expiresAt: request.expiresAt,
  });
}

function checkExtensionJudge(request: AccessRequest, actor: Actor, now?: number): Refusal | null {
  const extension = pendingExtension(request);
  if (!extension || request.status !== 'active') return refusal('not-pending', `${request.id} has no extension waiting for a decision.`);
  if (now !== undefined && now >= (request.expiresAt ?? 0))
    return refusal('not-pending', `${request.id} ended at ${formatUtc(request.expiresAt)}; its extension can no longer be decided.`);
  const conflict = separationOfDuties(
    actor.person,
    request.id,
    requestParties(request, { also: actor.alsoRefused }),
    'decide on the extension of',
  );
  if (conflict) return conflict;
  const roles = new Set(extension.requiredApprovals.map((requirement) => requirement.role));
  if (!actor.roles.some((role) => roles.has(role)))
    return refusal('not-approver', `You are not an approver for the extension of ${request.id} (needs: ${[...roles].join(', ')}).`);
  return null;
}

/** Whether this person could still approve the pending extension (for their view of the card). */
export function canDecideExtension(request: AccessRequest, actor: Actor): boolean {
  const extension = pendingExtension(request);
  if (!extension || checkExtensionJudge(request, actor)) return false;
  if (extension.approvals.some((approval) => approval.approver.aadObjectId === actor.person.aadObjectId)) return false;
  return missingExtensionApprovals(extension).some((role) => actor.roles.includes(role));
}

function withExtension(request: AccessRequest, extension: GrantExtension): AccessRequest {
  return { ...request, extensions: (request.extensions ?? []).map((each) => (each.status === 'pending' ? extension : each)) };
}

/** Adds an approval to the pending extension; the last one moves the expiry, and the scheduler's due time with it. */
export function approveExtension(request: AccessRequest, actor: Actor, now: number, comment?: string): Transition {
  const problem = checkExtensionJudge(request, actor, now);
  if (problem) return refused(problem);
  const extension = pendingExtension(request) as GrantExtension;
  if (extension.approvals.some((approval) => approval.approver.aadObjectId === actor.person.aadObjectId))
    return refused(refusal('already-approved', `You already approved the extension of ${request.id}; someone else must give the rest.`));
  const role = missingExtensionApprovals(extension).find((missing) => actor.roles.includes(missing));
  if (role === undefined)
    return refused(
      refusal(
        'role-satisfied',
        `The approvals your role can give are complete; the extension still needs: ${missingExtensionApprovals(extension).join(', ')}.`,
      ),
    );
  const approved = { ...extension, approvals: [...extension.approvals, { approver: actor.person, role, at: now, comment }] };
  if (missingExtensionApprovals(approved).length > 0)
    return moved(withExtension(request, approved), 'extension.approval-recorded', { role, comment });
  const expiresAt = (request.expiresAt as number) + extension.minutes * MINUTE;
  const decided: GrantExtension = { ...approved, status: 'approved', decision: { by: actor.person, at: now, comment } };
  return moved({ ...withExtension(request, decided), expiresAt, dueAt: expiresAt }, 'extension.approved', {
    role,
    comment,
    minutes: extension.minutes,
    previousExpiresAt: request.expiresAt,
    expiresAt,
  });
}

/** Anyone who could approve the extension may reject it; the grant ends as planned. */
export function rejectExtension(request: AccessRequest, actor: Actor, now: number, comment?: string): Transition {
  const problem = checkExtensionJudge(request, actor, now);
  if (problem) return refused(problem);
  const extension = pendingExtension(request) as GrantExtension;
  const decided: GrantExtension = { ...extension, status: 'rejected', decision: { by: actor.person, at: now, comment } };
  return moved(withExtension(request, decided), 'extension.rejected', {
    minutes: extension.minutes,
    comment,
    expiresAt: request.expiresAt,
  });
}

/** The grant ends while an extension waits: the extension ends with it, undecided. */
export function lapsePendingExtension(request: AccessRequest): AccessRequest {
  const extension = pendingExtension(request);
  return extension ? withExtension(request, { ...extension, status: 'lapsed' }) : request;
}
