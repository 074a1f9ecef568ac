import { MANUAL_ACTION_AFTER_ATTEMPTS, MANUAL_ACTION_REPEAT_MS, revokeRetryDelayMs } from './backoff';
import type { HeldPermission } from './drift-permission';
import type { PostedRef, RecordChange } from './review-record';
import type { Person } from './types';

// A permission a sweep found that no grant explains, and what the security
// team did about it. The removal follows the revocation rules of grants
// (domain/grant-rules.ts, domain/backoff.ts): intent stored before Exchange
// is called, confirmed only after Exchange confirmed, retried with the same
// backoff forever, and raised for manual action after the same number of failures.

export type FindingStatus = 'open' | 'removing' | 'removed' | 'allowed' | 'gone';

export interface FindingRemoval {
  requestedBy: Person;
  requestedAt: number;
  /** Exchange calls made so far (failed ones and the one that succeeded). */
  attempts: number;
  /** When the next attempt is due; null once removed. */
  dueAt: number | null;
  lastError?: string;
  manualActionRaisedAt?: number;
  removedAt?: number;
  /** Instance working on it, as for due requests. */
  leaseOwner?: string;
  leaseUntil?: number;
}

export interface DriftFinding {
  /** "DRF-" + a digest of the permission key: the same permission is always the same finding. */
  id: string;
  key: string;
  permission: HeldPermission;
  status: FindingStatus;
  firstSeenAt: number;
  lastSeenAt: number;
  firstSweepId: string;
  lastSweepId: string;
  /** How many times it was reported (again after it came back). */
  reported: number;
  /** What is known about where it came from, e.g. an ended Custodian grant. */
  since?: string;
  removal?: FindingRemoval;
  allowed?: { by: Person; at: number; reason: string };
  /** When it stopped being held (removed, or gone by itself). */
  resolvedAt?: number;
  card?: PostedRef;
}

const MAX_REASON = 500;

function who(person: Person): string {
  return person.name ?? person.upn ?? person.aadObjectId;
}

function refuse(code: 'not-open' | 'reason-required', message: string): RecordChange<DriftFinding> {
  return { ok: false, refusal: { code, message } };
}

function notOpen(finding: DriftFinding): RecordChange<DriftFinding> {
  const state: Record<FindingStatus, string> = {
    open: 'open',
    removing: `being removed (asked by ${finding.removal ? who(finding.removal.requestedBy) : 'someone'})`,
    removed: 'already removed',
    allowed: `already allowed by ${finding.allowed ? who(finding.allowed.by) : 'someone'}`,
    gone: 'no longer held',
  };
  return refuse('not-open', `${finding.id} is ${state[finding.status]}; nothing was changed.`);
}

export function newFinding(
  id: string,
  key: string,
  permission: HeldPermission,
  sweepId: string,
  now: number,
  since?: string,
): DriftFinding {
  return {
    id,
    key,
    permission,
    status: 'open',
    firstSeenAt: now,
    lastSeenAt: now,
    firstSweepId: sweepId,
    lastSweepId: sweepId,
    reported: 1,
    ...(since ? { since } : {}),
  };
}

/** A later sweep saw it again: still open (or being removed) stays so; one that had been resolved is reported again. */
export function seenAgain(finding: DriftFinding, sweepId: string, now: number): RecordChange<DriftFinding> {
  if (finding.status === 'allowed') return notOpen(finding);
  if (finding.status === 'open' || finding.status === 'removing')
    return { ok: true, next: { ...finding, lastSeenAt: now, lastSweepId: sweepId }, event: 'drift.finding.seen' };
  const { removal: _removal, resolvedAt: _resolved, card: _card, ...rest } = finding;
  return {
    ok: true,
    next: { ...rest, status: 'open', lastSeenAt: now, lastSweepId: sweepId, reported: finding.reported + 1 },
    event: 'drift.finding.reappeared',
    details: { previously: finding.status },
  };
}

/** A sweep read the mailbox and the permission was not there any more. */
export function vanished(finding: DriftFinding, sweepId: string, now: number): RecordChange<DriftFinding> {
  if (finding.status !== 'open') return notOpen(finding);
  return { ok: true, next: { ...finding, status: 'gone', resolvedAt: now, lastSweepId: sweepId }, event: 'drift.finding.gone' };
}

/** "Remove now": store the intent (and reserve the work for this instance) before Exchange is called. */
export function startRemoval(
  finding: DriftFinding,
  by: Person,
  now: number,
  owner: string,
  leaseUntil: number,
): RecordChange<DriftFinding> {
  if (finding.status !== 'open') return notOpen(finding);
  return {
    ok: true,
    next: {
      ...finding,
      status: 'removing',
      removal: { requestedBy: by, requestedAt: now, attempts: 0, dueAt: now, leaseOwner: owner, leaseUntil },
    },
    event: 'drift.removal.started',
  };
}

/** A due removal reserved by an instance (scheduler round), like claimDue for requests. */
export function claimRemoval(finding: DriftFinding, now: number, owner: string, leaseUntil: number): RecordChange<DriftFinding> {
  const removal = finding.removal;
  if (finding.status !== 'removing' || !removal || removal.dueAt === null || removal.dueAt > now) return notOpen(finding);
  if (removal.leaseUntil !== undefined && removal.leaseUntil > now && removal.leaseOwner !== owner)
    return refuse('not-open', `${finding.id} is being worked on by ${removal.leaseOwner}.`);
  return { ok: true, next: { ...finding, removal: { ...removal, leaseOwner: owner, leaseUntil } }, event: 'drift.removal.claimed' };
}

function withoutLease(removal: FindingRemoval): FindingRemoval {
  const { leaseOwner: _owner, leaseUntil: _until, ...rest } = removal;
  return rest;
}

export function removalConfirmed(finding: DriftFinding, now: number): RecordChange<DriftFinding> {
  if (finding.status !== 'removing' || !finding.removal) return notOpen(finding);
  const { lastError: _error, ...removal } = withoutLease(finding.removal);
  return {
    ok: true,
    next: {
      ...finding,
      status: 'removed',
      resolvedAt: now,
      removal: { ...removal, attempts: removal.attempts + 1, dueAt: null, removedAt: now },
    },
    event: 'drift.removal.confirmed',
    details: { attempts: removal.attempts + 1 },
  };
}

/** A failed attempt: retry with the revocation backoff, never give up, and say when people must act. */
export function removalFailed(
  finding: DriftFinding,
  now: number,
  error: string,
): RecordChange<DriftFinding> & { raiseManualAction?: boolean } {
  if (finding.status !== 'removing' || !finding.removal) return notOpen(finding);
  const attempts = finding.removal.attempts + 1;
  const raised = finding.removal.manualActionRaisedAt;
  const raise = attempts >= MANUAL_ACTION_AFTER_ATTEMPTS && (raised === undefined || now - raised >= MANUAL_ACTION_REPEAT_MS);
  const removal: FindingRemoval = {
    ...withoutLease(finding.removal),
    attempts,
    lastError: error,
    dueAt: now + revokeRetryDelayMs(attempts),
    manualActionRaisedAt: raise ? now : raised,
  };
  return {
    ok: true,
    next: { ...finding, removal },
    event: 'drift.removal.failed',
    details: { error, attempts, nextAttemptAt: removal.dueAt, manualActionRaised: raise },
    raiseManualAction: raise,
  };
}

/** "Allow": the permission is expected; with a reason, it is never reported again. */
export function allowFinding(finding: DriftFinding, by: Person, now: number, reason: string | undefined): RecordChange<DriftFinding> {
  if (finding.status !== 'open') return notOpen(finding);
  const text = reason?.trim() ?? '';
  if (text === '') return refuse('reason-required', `Say why ${finding.id} is allowed: type the reason on the card, then press Allow.`);
  if (text.length > MAX_REASON)
    return refuse('reason-required', `The reason is ${text.length} characters long; keep it under ${MAX_REASON}.`);
  return {
    ok: true,
    next: { ...finding, status: 'allowed', allowed: { by, at: now, reason: text } },
    event: 'drift.finding.allowed',
    details: { reason: text },
  };
}
