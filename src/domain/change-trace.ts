import type { AuditEntry, MailboxChange } from './admin-change';
import { describeChange, scalarText } from './admin-change';
import { accessLevelSpec, describeAccess, heldKindOf } from './access-level';
import type { AccessLevel } from './types';

// Whether a change to mailbox access, or a non-owner's access to a mailbox,
// is explained by a Custodian grant. Pure: the app hands in the grants.

/** When a Custodian request could have put a permission in place. */
export interface GrantSpan {
  requestId: string;
  mailbox: string;
  grantee: string;
  access: AccessLevel;
  folder?: string;
  /** From the approval (the grant is made right after). */
  from: number;
  /** Until the permission was confirmed removed; null while it may still be held. */
  to: number | null;
}

export type TraceVerdict =
  { traced: true; requestId?: string; note: string } | { traced: false; mismatch: boolean; requestId?: string; reason: string };

/** Clocks of Exchange's audit log and of Custodian differ a little; a change this close to a span counts as in it. */
export const SPAN_SLACK_MS = 5 * 60_000;

/** The kind of permission a level's grant leaves in Exchange, from the access-level table. */
function kindOf(access: AccessLevel): MailboxChange['kind'] {
  return heldKindOf(accessLevelSpec(access).grant);
}

function within(at: number, span: GrantSpan, slackMs: number): boolean {
  return at >= span.from - slackMs && (span.to === null || at <= span.to + slackMs);
}

function describeSpan(span: GrantSpan): string {
  return `${span.requestId} asked for ${describeAccess(span.access, span.folder)} of ${span.grantee} on ${span.mailbox}`;
}

/** Spans indexed by grantee, so that a run over many records does not scan every request for each. */
export function spansByGrantee(spans: GrantSpan[]): Map<string, GrantSpan[]> {
  const out = new Map<string, GrantSpan[]>();
  for (const span of spans) {
    const key = span.grantee.toLowerCase();
    const list = out.get(key) ?? [];
    list.push(span);
    out.set(key, list);
  }
  return out;
}

/**
 * A change by Custodian's own app is traced to the request it carried out
 * (the same grantee, mailbox and kind while that request was being granted
 * or held); the same app changing anything else is a mismatch. A removal by
 * the app is traced: Custodian removes only on a revocation or a security
 * member's "Remove now", both in its own audit trail. Anything done by a
 * person or another app is untraced.
 */
export function traceChange(
  change: MailboxChange,
  spans: Map<string, GrantSpan[]>,
  ownAppId: string,
  slackMs = SPAN_SLACK_MS,
): TraceVerdict {
  const own = ownAppId.trim().toLowerCase();
  if (own === '' || change.appId !== own) {
    return { traced: false, mismatch: false, reason: `${change.actor} ${describeChange(change)} outside Custodian.` };
  }
  if (change.direction === 'remove') return { traced: true, note: 'a removal by Custodian (revocation or Remove now)' };
  const candidates = (spans.get(change.grantee) ?? []).filter((span) => within(change.at, span, slackMs));
  const exact = candidates.find((span) => span.mailbox.toLowerCase() === change.mailbox && kindOf(span.access) === change.kind);
  if (exact) return { traced: true, requestId: exact.requestId, note: `granted for ${exact.requestId}` };
  if (candidates.length > 0) {
    return {
      traced: false,
      mismatch: true,
      requestId: candidates[0].requestId,
      reason: `Custodian's app ${describeChange(change)}, but ${describeSpan(candidates[0])}.`,
    };
  }
  return {
    traced: false,
    mismatch: true,
    reason: `Custodian's app ${describeChange(change)}, and no request of ${change.grantee} was being granted or held then.`,
  };
}

/** A person (not the owner) opening a mailbox, from a mailbox audit record. */
export interface MailboxAccess {
  recordId: string;
  at: number;
  actor: string;
  mailbox: string;
  /** "Admin" or "Delegate". */
  logon: string;
  operation: string;
}

// Mailbox audit records say how the actor logged on: 0 owner, 1 admin, 2
// delegate (learn.microsoft.com/purview/audit-mailboxes, "LogonType").
const LOGON_TYPES: Record<string, string> = { '1': 'Admin', '2': 'Delegate', admin: 'Admin', delegate: 'Delegate' };

/** The non-owner access a mailbox audit record shows; null for the owner, Microsoft's own services, or a record without a mailbox. */
export function nonOwnerAccess(entry: AuditEntry): MailboxAccess | null {
  const data = entry.auditData;
  const owner = typeof data.MailboxOwnerUPN === 'string' ? data.MailboxOwnerUPN.trim().toLowerCase() : '';
  const actor = entry.userId.trim().toLowerCase();
  if (owner === '' || actor === '' || actor === owner) return null;
  // ExternalAccess true: Microsoft datacenter personnel or services, not someone in the organization.
  if (data.ExternalAccess === true || data.ExternalAccess === 'True') return null;
  const logon = LOGON_TYPES[scalarText(data.LogonType).toLowerCase()];
  if (!logon) return null;
  return { recordId: entry.id, at: entry.at, actor, mailbox: owner, logon, operation: entry.operation };
}

/** The request whose grant the actor held on that mailbox at that time, if any. */
export function grantHeldAt(access: MailboxAccess, spans: Map<string, GrantSpan[]>, slackMs = SPAN_SLACK_MS): GrantSpan | undefined {
  return (spans.get(access.actor) ?? []).find((span) => span.mailbox.toLowerCase() === access.mailbox && within(access.at, span, slackMs));
}
