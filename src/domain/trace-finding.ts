import type { Party } from './separation-of-duties';
import type { MailboxChange } from './admin-change';
import type { MailboxAccess } from './change-trace';
import type { PostedRef, RecordChange } from './review-record';
import type { Person } from './types';

// A change to mailbox access (or an access to a mailbox) that no approved
// request explains, and what the security team decided about it.

export type TraceFindingKind = 'untraced' | 'mismatch' | 'access-without-grant';
export type TraceFindingStatus = 'open' | 'removing' | 'removed' | 'linked' | 'accepted';

export interface TraceFinding {
  /** "TRC-" + a digest of the record (and change) ID: the same record is always the same finding. */
  id: string;
  kind: TraceFindingKind;
  status: TraceFindingStatus;
  /** The change, for untraced and mismatched changes. */
  change?: MailboxChange;
  /** The access, for access without a grant. */
  access?: MailboxAccess;
  reason: string;
  /** The request a mismatch was compared with. */
  requestId?: string;
  foundAt: number;
  runId: string;
  removal?: { by: Person; at: number; driftFindingId: string; removedAt?: number };
  link?: { by: Person; at: number; requestId: string };
  accepted?: { by: Person; at: number; reason: string };
  card?: PostedRef;
}

const MAX_REASON = 500;

/** Who made the change (or opened the mailbox), who gained the access, and whose mailbox it is. */
export function findingParties(finding: TraceFinding): Party[] {
  if (finding.change)
    return [
      { part: 'changed-by', address: finding.change.actor },
      { part: 'grantee', address: finding.change.grantee },
      ...(finding.change.mailbox === '*' ? [] : [{ part: 'mailbox-owner' as const, address: finding.change.mailbox }]),
    ];
  return finding.access
    ? [
        { part: 'changed-by', address: finding.access.actor },
        { part: 'mailbox-owner', address: finding.access.mailbox },
      ]
    : [];
}

function notOpen(finding: TraceFinding): RecordChange<TraceFinding> {
  const state: Record<TraceFindingStatus, string> = {
    open: 'open',
    removing: `being removed (${finding.removal?.driftFindingId ?? ''})`,
    removed: 'already removed',
    linked: `already linked to ${finding.link?.requestId ?? 'a request'}`,
    accepted: 'already accepted',
  };
  return { ok: false, refusal: { code: 'not-open', message: `${finding.id} is ${state[finding.status]}; nothing was changed.` } };
}

/** "Remove now": handed to the drift removal of the same permission (intent, confirm, backoff). */
export function removalStarted(finding: TraceFinding, by: Person, now: number, driftFindingId: string): RecordChange<TraceFinding> {
  if (finding.status !== 'open') return notOpen(finding);
  return {
    ok: true,
    next: { ...finding, status: 'removing', removal: { by, at: now, driftFindingId } },
    event: 'trace.finding.remove',
    details: { driftFindingId },
  };
}

/** The drift removal it was handed to was confirmed by Exchange. */
export function removalDone(finding: TraceFinding, removedAt: number): RecordChange<TraceFinding> {
  if (finding.status !== 'removing' || !finding.removal) return notOpen(finding);
  return {
    ok: true,
    next: { ...finding, status: 'removed', removal: { ...finding.removal, removedAt } },
    event: 'trace.finding.removed',
    details: { driftFindingId: finding.removal.driftFindingId },
  };
}

/** The facts of the request a finding is linked to. */
export interface LinkCandidate {
  requestId: string;
  grantee: string;
  mailbox: string;
  /** Whether it was ever approved (granted, or being granted). */
  approved: boolean;
}

/** "Link to request": an approved request of the same grantee and mailbox explains it. */
export function linkFinding(
  finding: TraceFinding,
  by: Person,
  now: number,
  request: LinkCandidate | null,
  asked: string,
): RecordChange<TraceFinding> {
  if (finding.status !== 'open') return notOpen(finding);
  const refuse = (message: string): RecordChange<TraceFinding> => ({ ok: false, refusal: { code: 'not-allowed', message } });
  if (!request) return refuse(`No request ${asked} exists; type the ID of an approved request (CUS-2026-0001) on the card.`);
  const grantee = finding.change?.grantee ?? finding.access?.actor ?? '';
  const mailbox = finding.change?.mailbox ?? finding.access?.mailbox ?? '';
  if (!request.approved) return refuse(`${request.requestId} was never approved; only an approved request can explain ${finding.id}.`);
  if (request.grantee.toLowerCase() !== grantee || request.mailbox.toLowerCase() !== mailbox)
    return refuse(
      `${request.requestId} is for ${request.grantee} on ${request.mailbox}; ${finding.id} is about ${grantee} on ${mailbox === '*' ? 'every mailbox' : mailbox}.`,
    );
  return {
    ok: true,
    next: { ...finding, status: 'linked', link: { by, at: now, requestId: request.requestId } },
    event: 'trace.finding.linked',
    details: { linkedRequestId: request.requestId },
  };
}

/** "Accept with reason". */
export function acceptFinding(finding: TraceFinding, by: Person, now: number, reason: string | undefined): RecordChange<TraceFinding> {
  if (finding.status !== 'open') return notOpen(finding);
  const text = reason?.trim() ?? '';
  if (text === '')
    return {
      ok: false,
      refusal: { code: 'reason-required', message: `Say why ${finding.id} is acceptable: type the reason on the card, then press Accept.` },
    };
  if (text.length > MAX_REASON)
    return {
      ok: false,
      refusal: { code: 'reason-required', message: `The reason is ${text.length} characters long; keep it under ${MAX_REASON}.` },
    };
  return {
    ok: true,
    next: { ...finding, status: 'accepted', accepted: { by, at: now, reason: text } },
    event: 'trace.finding.accepted',
    details: { reason: text },
  };
}
