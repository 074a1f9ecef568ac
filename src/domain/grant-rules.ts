import { MANUAL_ACTION_AFTER_ATTEMPTS, MANUAL_ACTION_REPEAT_MS, revokeRetryDelayMs } from './backoff';
import { lapsePendingExtension, pendingExtension } from './extension';
import { pendingDueAt } from './new-request';
import { refusal } from './refusal';
import { moved, refused, type Transition } from './transition';
import type { AccessRequest, ActivityReport, Person, RevokeReason, StepState } from './types';

const MINUTE = 60_000;

/** Exchange confirmed the permission: the grant is live until expiresAt, which is also when the scheduler revokes it. */
export function grantConfirmed(request: AccessRequest, now: number): Transition {
  if (request.status !== 'granting') return refused(refusal('not-pending', `${request.id} is ${request.status}, not granting.`));
  const expiresAt = now + request.durationMinutes * MINUTE;
  return moved(
    { ...request, status: 'active', grantedAt: now, expiresAt, dueAt: expiresAt, grantAttempts: request.grantAttempts + 1 },
    'grant.confirmed',
    { expiresAt },
  );
}

/**
 * Exchange refused the grant. Whatever may have been applied is revoked through
 * the normal revocation path, so a half-done grant can never linger.
 */
export function grantFailed(request: AccessRequest, now: number, error: string): Transition {
  if (request.status !== 'granting') return refused(refusal('not-pending', `${request.id} is ${request.status}, not granting.`));
  return moved(
    {
      ...request,
      status: 'revoking',
      grantError: error,
      revokeReason: 'grant_failed',
      revokeAttempts: 0,
      grantAttempts: request.grantAttempts + 1,
      dueAt: now,
    },
    'grant.failed',
    { error },
  );
}

/** Starts revocation: at expiry (system), on early release by the requester, or manually by the security team. */
export function startRevocation(request: AccessRequest, now: number, reason: RevokeReason, by?: Person): Transition {
  if (request.status !== 'active')
    return refused(refusal('not-active', `${request.id} is ${request.status}; only an active grant can be ended.`));
  if (reason === 'expired' && (request.expiresAt ?? Infinity) > now)
    return refused(refusal('not-active', `${request.id} has not expired yet.`));
  // An extension still undecided ends with the grant: no decision, nothing changes.
  const lapsed = pendingExtension(request) !== undefined;
  return moved(
    { ...lapsePendingExtension(request), status: 'revoking', revokeReason: reason, revokeRequestedBy: by, revokeAttempts: 0, dueAt: now },
    'revoke.started',
    lapsed ? { reason, extensionLapsed: true } : { reason },
  );
}

/** The requester ends their own grant early. */
export function release(request: AccessRequest, by: Person, now: number): Transition {
  if (by.aadObjectId !== request.requester.aadObjectId)
    return refused(refusal('not-requester', `Only the requester can release ${request.id}.`));
  return startRevocation(request, now, 'released', by);
}

/**
 * Exchange confirmed the permission is gone. A grant that was live gets an
 * activity report, searched for after `activityDelayMs` (audit data arrives late).
 */
export function revokeConfirmed(request: AccessRequest, now: number, activityDelayMs = 0): Transition {
  if (request.status !== 'revoking') return refused(refusal('not-active', `${request.id} is ${request.status}, not revoking.`));
  const status = request.revokeReason === 'grant_failed' ? 'grant_failed' : 'revoked';
  const activity: ActivityReport | undefined =
    status === 'revoked' && request.grantedAt !== undefined ? { status: 'pending', dueAt: now + activityDelayMs } : undefined;
  const next: AccessRequest = {
    ...request,
    status,
    revokedAt: now,
    revokeAttempts: request.revokeAttempts + 1,
    lastRevokeError: undefined,
    activity,
    dueAt: null,
  };
  return moved({ ...next, dueAt: afterStepsDueAt(next, now) }, status === 'revoked' ? 'revoke.confirmed' : 'grant.cleanup-confirmed', {
    reason: request.revokeReason,
  });
}

/** The activity search answered (or said why it could not). */
export function activityReported(request: AccessRequest, now: number, report: Omit<ActivityReport, 'dueAt' | 'at'>): Transition {
  if (request.activity?.status !== 'pending') return refused(refusal('not-active', `${request.id} has no activity report waiting.`));
  const next: AccessRequest = { ...request, activity: { ...report, dueAt: request.activity.dueAt, at: now } };
  return moved({ ...next, dueAt: afterStepsDueAt(next, now) }, report.status === 'done' ? 'activity.reported' : 'activity.unavailable', {
    ...report,
  });
}

/** A revocation attempt failed: retry with backoff, never give up, and say when people must act. */
export function revokeFailed(request: AccessRequest, now: number, error: string): Transition & { raiseManualAction?: boolean } {
  if (request.status !== 'revoking') return refused(refusal('not-active', `${request.id} is ${request.status}, not revoking.`));
  const attempts = request.revokeAttempts + 1;
  const raise =
    attempts >= MANUAL_ACTION_AFTER_ATTEMPTS &&
    (request.manualActionRaisedAt === undefined || now - request.manualActionRaisedAt >= MANUAL_ACTION_REPEAT_MS);
  const next: AccessRequest = {
    ...request,
    revokeAttempts: attempts,
    lastRevokeError: error,
    manualActionRaisedAt: raise ? now : request.manualActionRaisedAt,
    dueAt: now + revokeRetryDelayMs(attempts),
  };
  return { ...moved(next, 'revoke.failed', { error, attempts, manualActionRaised: raise }), raiseManualAction: raise };
}

/** Pending request ran out of time. */
export function expirePending(request: AccessRequest, now: number): Transition {
  if (request.status !== 'pending') return refused(refusal('not-pending', `${request.id} is ${request.status}.`));
  if (now < request.pendingExpiresAt) return refused(refusal('not-pending', `${request.id} has not timed out yet.`));
  return moved({ ...request, status: 'expired', dueAt: null }, 'request.expired');
}

/** Records that approvers were reminded once. */
export function reminded(request: AccessRequest, now: number): Transition {
  if (request.status !== 'pending' || request.reminderAt === undefined || request.remindedAt !== undefined || now < request.reminderAt)
    return refused(refusal('not-pending', `${request.id} needs no reminder.`));
  const next = { ...request, remindedAt: now };
  return moved({ ...next, dueAt: pendingDueAt(next) }, 'request.reminded');
}

/** Marks a step done (or failed) by the system, e.g. a notice that was sent. */
export function stepCompleted(request: AccessRequest, stepId: string, now: number, status: 'done' | 'failed', note?: string): Transition {
  const step = request.steps.find((candidate) => candidate.id === stepId);
  if (!step) return refused(refusal('unknown-step', `${request.id} has no step "${stepId}".`));
  const steps: StepState[] = request.steps.map((candidate) =>
    candidate.id === stepId ? { ...candidate, status, at: now, note } : candidate,
  );
  const next: AccessRequest = { ...request, steps };
  const dueAt = request.status === 'revoked' || request.status === 'grant_failed' ? afterStepsDueAt(next, now) : request.dueAt;
  return moved({ ...next, dueAt }, status === 'done' ? 'step.done' : 'step.failed', { step: stepId, note });
}

/** Work left after access ended keeps the request due: first the activity report, then the after-access notices (which include it). */
function afterStepsDueAt(request: AccessRequest, now: number): number | null {
  if (request.status !== 'revoked') return null;
  if (request.activity?.status === 'pending') return request.activity.dueAt;
  return request.steps.some((step) => step.phase === 'after' && step.status === 'pending') ? now : null;
}

/** The scheduler's dispatch: what to do with a request that came due. */
export type DueAction = 'remind' | 'expire' | 'grant' | 'revoke-expired' | 'revoke' | 'activity-report' | 'after-steps' | 'nothing';

export function dueAction(request: AccessRequest, now: number): DueAction {
  switch (request.status) {
    case 'pending':
      if (now >= request.pendingExpiresAt) return 'expire';
      if (request.reminderAt !== undefined && request.remindedAt === undefined && now >= request.reminderAt) return 'remind';
      return 'nothing';
    case 'granting':
      return 'grant';
    case 'active':
      return (request.expiresAt ?? Infinity) <= now ? 'revoke-expired' : 'nothing';
    case 'revoking':
      return 'revoke';
    case 'revoked':
      if (request.activity?.status === 'pending') return request.activity.dueAt <= now ? 'activity-report' : 'nothing';
      return request.steps.some((step) => step.phase === 'after' && step.status === 'pending') ? 'after-steps' : 'nothing';
    default:
      return 'nothing';
  }
}

/** When a request that nothing is happening to is next due (used to repair a stale due time). */
export function restingDueAt(request: AccessRequest, now: number): number | null {
  switch (request.status) {
    case 'pending':
      return pendingDueAt(request);
    case 'active':
      return request.expiresAt ?? now;
    case 'granting':
    case 'revoking':
      return request.dueAt ?? now;
    case 'revoked':
      return afterStepsDueAt(request, now);
    default:
      return null;
  }
}
