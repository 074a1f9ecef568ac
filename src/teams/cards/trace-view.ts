import { describeChange, REMOVABLE_KINDS } from '../../domain/admin-change';
import { plainText } from '../../domain/plain-text';
import type { TraceFinding, TraceFindingStatus } from '../../domain/trace-finding';

// Data for bot/cards/trace-finding.json: who did what on whose mailbox, when,
// the raw parameters, and what the security team decided.

const STATUS: Record<TraceFindingStatus, { label: string; color: string }> = {
  open: { label: 'Open', color: 'Attention' },
  removing: { label: 'Removing…', color: 'Warning' },
  removed: { label: 'Removed', color: 'Good' },
  linked: { label: 'Linked', color: 'Good' },
  accepted: { label: 'Accepted', color: 'Default' },
};

const MAX_PARAMETERS_TEXT = 2_000;

function iso(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function who(person: { name?: string; aadObjectId: string }): string {
  return person.name ?? person.aadObjectId;
}

function stateText(finding: TraceFinding): string {
  switch (finding.status) {
    case 'removing':
      return `Removal asked by ${finding.removal ? who(finding.removal.by) : 'the security team'} at ${iso(finding.removal?.at)} (${finding.removal?.driftFindingId ?? ''}); the security chat is told when Exchange confirms.`;
    case 'removed':
      return `Removed at ${iso(finding.removal?.removedAt)} as asked by ${finding.removal ? who(finding.removal.by) : 'the security team'} (${finding.removal?.driftFindingId ?? ''}); Exchange confirmed it.`;
    case 'linked':
      return `Linked to ${finding.link?.requestId ?? ''} by ${finding.link ? who(finding.link.by) : ''} at ${iso(finding.link?.at)}.`;
    case 'accepted':
      return `Accepted by ${finding.accepted ? who(finding.accepted.by) : ''} at ${iso(finding.accepted?.at)}: "${finding.accepted?.reason ?? ''}".`;
    default:
      return '';
  }
}

function title(finding: TraceFinding): string {
  if (finding.access) return `Access without a grant: ${finding.access.actor} opened ${finding.access.mailbox}`;
  const change = finding.change!;
  const label = finding.kind === 'mismatch' ? 'Change does not match its request' : 'Untraced change';
  return `${label}: ${change.actor} ${describeChange(change)}`;
}

export function traceCardData(finding: TraceFinding, notice = '') {
  const change = finding.change;
  const access = finding.access;
  const parameters = change ? change.parameters.map((p) => `${p.name}=${p.value}`).join('; ') : '';
  const facts = change
    ? [
        { title: 'Who', value: change.appId ? `${change.actor} (app ${change.appId})` : change.actor },
        { title: 'What', value: `${change.operation} (${change.kind}${change.rights.length ? `: ${change.rights.join(', ')}` : ''})` },
        { title: 'Mailbox', value: change.mailbox === '*' ? 'every mailbox' : change.mailbox },
        { title: 'Grantee', value: change.grantee },
        { title: 'When', value: iso(change.at) },
        {
          title: 'Parameters',
          value: parameters.length > MAX_PARAMETERS_TEXT ? `${parameters.slice(0, MAX_PARAMETERS_TEXT)}…` : parameters,
        },
        { title: 'Record', value: change.recordId },
        ...(finding.requestId ? [{ title: 'Compared with', value: finding.requestId }] : []),
      ]
    : [
        { title: 'Who', value: access!.actor },
        { title: 'Mailbox', value: access!.mailbox },
        { title: 'How', value: `${access!.logon} logon, ${access!.operation}` },
        { title: 'When', value: iso(access!.at) },
        { title: 'Record', value: access!.recordId },
      ];
  // Everything here comes from an audit record or a person (parameters, names, reasons): shown literally, never as Markdown.
  return {
    id: finding.id,
    title: plainText(title(finding)),
    statusLabel: STATUS[finding.status].label,
    statusColor: STATUS[finding.status].color,
    notice: plainText(notice),
    text: plainText(finding.reason),
    facts: facts.map((fact) => ({ title: fact.title, value: plainText(fact.value) })),
    state: plainText(stateText(finding)),
    open: finding.status === 'open',
    removable:
      finding.status === 'open' && !!change && change.direction === 'add' && change.mailbox !== '*' && REMOVABLE_KINDS.has(change.kind),
  };
}
