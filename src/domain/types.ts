// Core records of the domain. Times are epoch milliseconds so that both stores
// can index and compare them without conversion.

// The access levels are defined by their table (access-level.ts).
export { ACCESS_LEVELS, type AccessLevel } from './access-level';
import type { AccessLevel } from './access-level';

/** Someone identified by the authenticated platform (Entra object ID), never by card data. */
export interface Person {
  aadObjectId: string;
  name?: string;
  upn?: string;
}

export const SYSTEM_ACTOR: Person = { aadObjectId: 'system', name: 'Custodian' };

export type RequestStatus =
  | 'pending' // waiting for steps and approvals
  | 'rejected'
  | 'cancelled'
  | 'expired' // nobody decided before the pending TTL ran out
  | 'granting' // approved; intent persisted, Exchange call in progress
  | 'active' // Exchange confirmed the permission
  | 'grant_failed' // Exchange refused; nothing was granted
  | 'revoking' // intent to revoke persisted; retried until Exchange confirms
  | 'revoked';

export const TERMINAL_STATUSES: readonly RequestStatus[] = ['rejected', 'cancelled', 'expired', 'grant_failed', 'revoked'];

export type RevokeReason = 'expired' | 'released' | 'manual' | 'grant_failed';

export interface Approval {
  approver: Person;
  role: string;
  at: number;
  comment?: string;
}

export interface Decision {
  by: Person;
  at: number;
  comment?: string;
}

export type StepKind = 'notify' | 'attest' | 'after-access-notice';
export type StepStatus = 'pending' | 'done' | 'waived' | 'failed';

export interface StepState {
  id: string;
  kind: StepKind;
  label: string;
  /** For notify steps: the role or address told ('hr', 'dpo', 'employee', an e-mail). */
  target?: string;
  /** Must be done before the grant (notify/attest) or after the grant ends (after-access-notice). */
  phase: 'before' | 'after';
  status: StepStatus;
  by?: Person;
  at?: number;
  note?: string;
}

export interface RequestFlags {
  /** e.g. "The mailbox owner is the requester's manager." */
  conflictOfInterest?: string;
  /** Mailbox auditing was disabled at submission (only when the pack merely warns). */
  mailboxAuditDisabled?: boolean;
  /** The employee was not told in advance; the after-access notice is mandatory. */
  advanceNoticeWithheld?: boolean;
}

export interface MailboxRef {
  upn: string;
  displayName?: string;
  objectId?: string;
}

/** Where a card about this request was posted, so that it can be updated in place. */
export interface PostedCard {
  conversationKey: string;
  activityId: string;
  view: 'status' | 'approval';
}

/** What the grantee did inside the mailbox during the grant (from the Purview audit search). */
export interface ActivityReport {
  status: 'pending' | 'done' | 'unavailable';
  /** When the search should run (audit data reaches the search with a delay). */
  dueAt: number;
  at?: number;
  recordCount?: number;
  /** Records per operation, e.g. MailItemsAccessed: 12. */
  operations?: { operation: string; count: number }[];
  firstActivityAt?: number;
  lastActivityAt?: number;
  /** Why no report could be made (no permission, not licensed, search failed). */
  reason?: string;
}

/** More time asked for on an active grant; decided like the grant, by its own approvals. */
export interface GrantExtension {
  minutes: number;
  reason: string;
  requestedBy: Person;
  requestedAt: number;
  /** The expiry when the extension was asked for. */
  fromExpiresAt: number;
  requiredApprovals: { role: string; count: number }[];
  approvals: Approval[];
  /** "lapsed": nobody decided before the grant ended; nothing changed. */
  status: 'pending' | 'approved' | 'rejected' | 'lapsed';
  decision?: Decision;
}

export interface AccessRequest {
  id: string;
  /** Incremented by every write; conditional updates compare it. */
  version: number;
  status: RequestStatus;
  requester: Person;
  mailbox: MailboxRef;
  ticket: string;
  jurisdiction: string;
  access: AccessLevel;
  /** Folder of a folder level (access-level.ts), as the mailbox names it once granted, e.g. "Innboks". */
  folder?: string;
  durationMinutes: number;
  justification: string;
  legalBasis?: string;
  /** Why the employee was not told in advance (strict jurisdictions). */
  noticeWithheldReason?: string;
  createdAt: number;
  pendingExpiresAt: number;
  reminderAt?: number;
  remindedAt?: number;
  /** Copied from the pack at submission (plus any conflict-of-interest extra), so later policy edits do not move the goalposts. */
  requiredApprovals: { role: string; count: number; afterSteps?: string[] }[];
  approvals: Approval[];
  decision?: Decision;
  /** Facts found at submission that approvers must see. */
  flags: RequestFlags;
  steps: StepState[];
  grantedAt?: number;
  expiresAt?: number;
  grantError?: string;
  revokeReason?: RevokeReason;
  revokeRequestedBy?: Person;
  revokeAttempts: number;
  revokedAt?: number;
  lastRevokeError?: string;
  manualActionRaisedAt?: number;
  activity?: ActivityReport;
  /** Extensions asked for on the active grant, oldest first; at most one is pending. */
  extensions?: GrantExtension[];
  grantAttempts: number;
  /** When the scheduler must next look at this request; null when nothing is due. */
  dueAt: number | null;
  /** Lease held by the scheduler instance working on the due item. */
  leaseOwner?: string;
  leaseUntil?: number;
  cards: PostedCard[];
}

export interface AuditEvent {
  /** Position in the chain, starting at 1. */
  seq: number;
  at: number;
  type: string;
  actor: Person;
  requestId?: string;
  ticket?: string;
  mailbox?: string;
  jurisdiction?: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}
