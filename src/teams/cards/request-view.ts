import { describeAccess } from '../../domain/access-level';
import { missingApprovals, stepsBeforeRole, unfinishedBeforeSteps } from '../../domain/approval-rules';
import { formatDuration } from '../../domain/duration';
import type { JurisdictionPolicy } from '../../domain/policy';
import type { AccessRequest, GrantExtension, RequestStatus, StepState } from '../../domain/types';
import { missingExtensionApprovals, pendingExtension, totalGrantMinutes } from '../../domain/extension';
import { describeActivity } from '../../domain/activity-text';
import { formatUtc } from '../../domain/time-format';
import type { ViewerRights } from '../../app/requests/viewer-rights';
import { plainText } from '../../domain/plain-text';

/** What the viewer may do, decided by the caller from their authenticated identity. */
const STATUS: Record<RequestStatus, { label: string; color: string }> = {
  pending: { label: 'Waiting for approval', color: 'Accent' },
  rejected: { label: 'Rejected', color: 'Attention' },
  cancelled: { label: 'Cancelled', color: 'Default' },
  expired: { label: 'Expired undecided', color: 'Default' },
  granting: { label: 'Granting…', color: 'Accent' },
  active: { label: 'Access active', color: 'Good' },
  grant_failed: { label: 'Grant failed', color: 'Attention' },
  revoking: { label: 'Revoking…', color: 'Warning' },
  revoked: { label: 'Revoked', color: 'Default' },
};

export function statusLabel(status: RequestStatus): string {
  return STATUS[status].label;
}

const MARK: Record<StepState['status'], string> = { pending: '☐', done: '☑', waived: '☒', failed: '✖' };

const iso = formatUtc;

function person(p: { name?: string; upn?: string; aadObjectId: string }): string {
  return p.name ? `${p.name}${p.upn ? ` (${p.upn})` : ''}` : (p.upn ?? p.aadObjectId);
}

/** Data for bot/cards/request.json: the same card serves requester, approvers and observers. */
export function requestCardData(
  request: AccessRequest,
  policy: JurisdictionPolicy | undefined,
  rights: ViewerRights,
  options: { notice?: string; refreshUserIds?: string[] } = {},
) {
  const basis = policy?.legalBases.find((candidate) => candidate.id === request.legalBasis);
  const facts = [
    { title: 'Requester', value: person(request.requester) },
    { title: 'Mailbox', value: `${request.mailbox.displayName ?? ''} (${request.mailbox.upn})`.trim() },
    { title: 'Access', value: describeAccess(request.access, request.folder) },
    { title: 'Duration', value: durationText(request) },
    { title: 'Ticket', value: request.ticket },
    { title: 'Jurisdiction', value: policy ? `${policy.name} (${policy.code})` : request.jurisdiction },
    ...(basis ? [{ title: 'Legal basis', value: basis.label }] : []),
    { title: 'Requested', value: iso(request.createdAt) },
    ...(request.status === 'pending' ? [{ title: 'Decide by', value: iso(request.pendingExpiresAt) }] : []),
    ...(request.grantedAt !== undefined ? [{ title: 'Granted', value: iso(request.grantedAt) }] : []),
    ...(request.expiresAt !== undefined ? [{ title: 'Expires', value: iso(request.expiresAt) }] : []),
    ...(request.revokedAt !== undefined ? [{ title: 'Revoked', value: iso(request.revokedAt) }] : []),
    ...(request.activity ? [{ title: 'Activity', value: describeActivity(request.activity) }] : []),
  ];
  const warnings = [
    request.flags.conflictOfInterest ? `Conflict of interest: ${request.flags.conflictOfInterest}` : '',
    request.flags.mailboxAuditDisabled ? 'Mailbox auditing is disabled on this mailbox: actions inside it will not be recorded.' : '',
    request.flags.advanceNoticeWithheld ? 'The employee was not told in advance; an after-access notice will be sent.' : '',
    request.status === 'revoking' && request.revokeAttempts > 0
      ? `Revocation failed ${request.revokeAttempts} time(s): ${request.lastRevokeError ?? ''}. Retrying.`
      : '',
  ].filter(Boolean);
  const given = request.approvals.map(
    (approval) =>
      `✔ ${approval.role}: ${person(approval.approver)} at ${iso(approval.at)}${approval.comment ? ` — "${approval.comment}"` : ''}`,
  );
  const missing = request.status === 'pending' ? missingApprovals(request).map((role) => missingText(request, role)) : [];
  const attestSteps = request.steps
    .filter((step) => rights.attestStepIds.includes(step.id) && step.status === 'pending')
    .map((step) => ({ stepId: step.id, label: `step ${request.steps.indexOf(step) + 1}` }));
  const blocking = request.status === 'pending' ? unfinishedBeforeSteps(request) : [];
  // Everything shown in a TextBlock or FactSet carries people's text, so all of it is escaped (see domain/plain-text).
  return {
    id: request.id,
    title: plainText(`Mailbox access: ${request.mailbox.displayName ?? request.mailbox.upn}`),
    subtitle: plainText(`${describeAccess(request.access, request.folder)} for ${formatDuration(request.durationMinutes)}`),
    statusLabel: STATUS[request.status].label,
    statusColor: STATUS[request.status].color,
    notice: plainText(options.notice ?? ''),
    facts: facts.map((fact) => ({ title: fact.title, value: plainText(fact.value) })),
    justification: plainText(request.justification),
    warnings: warnings.map(plainText),
    steps: request.steps.map((step, index) => ({ mark: `${index + 1}. ${MARK[step.status]}`, text: plainText(stepText(step)) })),
    approvals: given.length + missing.length > 0 ? [...given, ...missing].map(plainText) : ['None yet'],
    outcome: plainText(outcomeText(request)),
    canDecide: rights.canDecide && request.status === 'pending',
    canCancel: rights.canCancel && request.status === 'pending',
    canRelease: rights.canRelease && request.status === 'active',
    attestSteps,
    extensions: extensionLines(request),
    canExtend: rights.canExtend === true && request.status === 'active' && !pendingExtension(request),
    canDecideExtension: rights.canDecideExtension === true && request.status === 'active' && pendingExtension(request) !== undefined,
    blockingSteps: blocking.map((step) => plainText(`${step.label} (${stepGiver(step)})`)),
    auditReminder:
      'Every grant, every action in the mailbox and every decision is logged in a tamper-evident audit trail and reviewed by the security team.',
    refreshUserIds: options.refreshUserIds ?? [],
  };
}

/** A missing approval and who can give it; a role the pack makes wait names the steps it waits for. */
function missingText(request: AccessRequest, role: string): string {
  const waiting = stepsBeforeRole(request, role);
  const after = waiting.length > 0 ? `, after: ${waiting.map((step) => step.label).join('; ')}` : '';
  return `… ${role}: waiting (anyone with the ${role} role${after})`;
}

/** The approved duration, and what extensions added to it. */
function durationText(request: AccessRequest): string {
  const added = totalGrantMinutes(request) - request.durationMinutes;
  return formatDuration(request.durationMinutes) + (added > 0 ? ` + ${formatDuration(added)} extended` : '');
}

/** The latest extensions (a card has a size limit); older ones are in the audit trail. */
const EXTENSIONS_SHOWN = 3;

function extensionLines(request: AccessRequest): string[] {
  const all = request.extensions ?? [];
  const earlier = all.length - EXTENSIONS_SHOWN;
  const lines = all.slice(-EXTENSIONS_SHOWN).map(extensionText);
  if (earlier > 0) lines.unshift(`${earlier} earlier extension(s): see "audit ${request.id}".`);
  return lines.map(plainText);
}

/** One extension as the card shows it: how much, from when, why, and where it stands. */
function extensionText(extension: GrantExtension): string {
  const asked = `${formatDuration(extension.minutes)} more from ${iso(extension.fromExpiresAt)}, asked by ${person(extension.requestedBy)} at ${iso(extension.requestedAt)} because "${extension.reason}"`;
  const given = extension.approvals.map((approval) => `${approval.role}: ${person(approval.approver)}`).join(', ');
  const comment = extension.decision?.comment ? ` — "${extension.decision.comment}"` : '';
  switch (extension.status) {
    case 'pending': {
      const missing = missingExtensionApprovals(extension).map((role) => `${role} (anyone with the ${role} role)`);
      return `${asked}. Waiting for: ${missing.join(', ')}${given ? `; approved so far by ${given}` : ''}. Without a decision the grant ends as planned.`;
    }
    case 'approved':
      return `${asked}. Approved by ${given} at ${iso(extension.decision?.at)}${comment}; the expiry moved to ${iso(extension.fromExpiresAt + extension.minutes * 60_000)}.`;
    case 'rejected':
      return `${asked}. Rejected by ${extension.decision ? person(extension.decision.by) : 'an approver'} at ${iso(extension.decision?.at)}${comment}; the grant ended as planned.`;
    case 'lapsed':
      return `${asked}. Nobody decided before the grant ended; nothing changed.`;
  }
}

function stepGiver(step: StepState): string {
  if (step.kind === 'attest') return step.target ? `recorded by the ${step.target} role` : 'recorded by any approver';
  return step.status === 'failed' ? 'sending it failed; the security team was told' : 'sent by Custodian';
}

function stepText(step: StepState): string {
  const who = step.by ? ` by ${person(step.by)}` : '';
  const when = step.at !== undefined ? ` at ${iso(step.at)}` : '';
  const note = step.note ? ` — ${step.note}` : '';
  const state =
    step.status === 'pending'
      ? step.phase === 'after'
        ? ' (after access ends)'
        : ' (to do)'
      : step.status === 'waived'
        ? ' (not done)'
        : step.status === 'failed'
          ? ' (failed)'
          : '';
  return `${step.label}${state}${who}${when}${note}`;
}

function outcomeText(request: AccessRequest): string {
  switch (request.status) {
    case 'rejected':
      return `Rejected by ${request.decision ? person(request.decision.by) : 'an approver'} at ${iso(request.decision?.at)}${request.decision?.comment ? `: "${request.decision.comment}"` : '.'}`;
    case 'cancelled':
      return `Cancelled by the requester at ${iso(request.decision?.at)}.`;
    case 'expired':
      return `Nobody decided before ${iso(request.pendingExpiresAt)}; nothing was granted.`;
    case 'granting':
      return 'Approved. Exchange is granting the access now; this card changes when Exchange confirms.';
    case 'active':
      return `Access active until ${iso(request.expiresAt)} (granted at ${iso(request.grantedAt)}); revoked automatically then.`;
    case 'grant_failed':
      return `Grant failed, nothing was left behind. Exchange said: ${request.grantError ?? 'unknown error'}.`;
    case 'revoked':
      return `Access ended at ${iso(request.revokedAt)} (${request.revokeReason === 'released' ? 'released early' : request.revokeReason === 'manual' ? 'ended by the security team' : 'expired'}).`;
    case 'revoking':
      return request.revokeReason === 'grant_failed'
        ? `Grant failed: ${request.grantError ?? 'unknown error'}. Removing anything partly applied; this card changes when Exchange confirms.`
        : 'Ending the access: Exchange is removing it now; this card changes when Exchange confirms.';
    default:
      return '';
  }
}
