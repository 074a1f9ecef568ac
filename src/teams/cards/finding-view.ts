import type { DriftFinding, FindingStatus } from '../../domain/drift-finding';
import { describeHeld } from '../../domain/drift-permission';
import { plainText } from '../../domain/plain-text';

// Data for bot/cards/finding.json: who holds what on whose mailbox, since
// when if known, and what the security team did about it.

const STATUS: Record<FindingStatus, { label: string; color: string }> = {
  open: { label: 'Open', color: 'Attention' },
  removing: { label: 'Removing…', color: 'Warning' },
  removed: { label: 'Removed', color: 'Good' },
  allowed: { label: 'Allowed', color: 'Default' },
  gone: { label: 'No longer held', color: 'Default' },
};

function iso(ms: number | null | undefined): string {
  return ms === undefined || ms === null ? '' : new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}

function who(person: { name?: string; upn?: string; aadObjectId: string }): string {
  return person.name ?? person.upn ?? person.aadObjectId;
}

function stateText(finding: DriftFinding): string {
  const removal = finding.removal;
  switch (finding.status) {
    case 'removing':
      return removal && removal.attempts > 0
        ? `Removal asked by ${who(removal.requestedBy)} at ${iso(removal.requestedAt)}: ${removal.attempts} attempt(s) failed (last: ${removal.lastError ?? 'unknown'}); next attempt at ${iso(removal.dueAt)}. Custodian keeps retrying.`
        : `Removal asked by ${removal ? who(removal.requestedBy) : 'the security team'}; waiting for Exchange to confirm.`;
    case 'removed':
      return `Removed at ${iso(removal?.removedAt)} as asked by ${removal ? who(removal.requestedBy) : 'the security team'}; Exchange confirmed it.`;
    case 'allowed':
      return `Allowed by ${finding.allowed ? who(finding.allowed.by) : 'the security team'} at ${iso(finding.allowed?.at)}: "${finding.allowed?.reason ?? ''}". It will not be reported again.`;
    case 'gone':
      return `No longer a finding since ${iso(finding.resolvedAt)} (the permission is gone, or a grant or the allow-list now explains it).`;
    default:
      return '';
  }
}

export function findingCardData(finding: DriftFinding, notice = '') {
  const p = finding.permission;
  const held = describeHeld(p);
  return {
    id: finding.id,
    title: plainText(`Standing access: ${p.grantee} holds ${held} on ${p.mailbox}`),
    statusLabel: STATUS[finding.status].label,
    statusColor: STATUS[finding.status].color,
    notice: plainText(notice),
    text: `No Custodian grant explains this permission and it is not on the allow-list.${finding.reported > 1 ? ` It was resolved before and came back (reported ${finding.reported} times).` : ''}`,
    facts: [
      { title: 'Holder', value: plainText(p.grantee) },
      { title: 'Mailbox', value: plainText(p.mailbox) },
      { title: 'Permission', value: held },
      {
        title: 'Since',
        value: finding.since ?? `unknown (Exchange does not record when a permission was added); first seen ${iso(finding.firstSeenAt)}`,
      },
      { title: 'First seen', value: `${iso(finding.firstSeenAt)} (sweep ${finding.firstSweepId})` },
      { title: 'Last seen', value: `${iso(finding.lastSeenAt)} (sweep ${finding.lastSweepId})` },
    ],
    state: plainText(stateText(finding)),
    open: finding.status === 'open',
    // A role group or a deleted user's SID is shown as Exchange names it, but Custodian offers to remove only what it can.
    removable: finding.status === 'open' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.grantee),
  };
}
