import { describeAccess } from '../../domain/access-level';
import { formatDuration } from '../../domain/duration';
import { policyFor, type PolicySet } from '../../domain/policy';
import type { AccessRequest } from '../../domain/types';
import { describeActivity } from '../../domain/activity-text';

/** The placeholders every notice template may use. */
export function noticeValues(request: AccessRequest, policies: PolicySet): Record<string, string> {
  const policy = policyFor(policies, request.jurisdiction);
  const basis = policy?.legalBases.find((candidate) => candidate.id === request.legalBasis);
  const window =
    request.grantedAt !== undefined
      ? `${new Date(request.grantedAt).toISOString()} to ${new Date(request.revokedAt ?? request.expiresAt ?? request.grantedAt).toISOString()}`
      : 'not granted';
  return {
    requestId: request.id,
    requesterName: request.requester.name ?? request.requester.upn ?? request.requester.aadObjectId,
    mailbox: request.mailbox.upn,
    mailboxName: request.mailbox.displayName ?? request.mailbox.upn,
    access: describeAccess(request.access, request.folder),
    duration: formatDuration(request.durationMinutes),
    ticket: request.ticket,
    jurisdiction: policy ? `${policy.name} (${policy.code})` : request.jurisdiction,
    legalBasis: basis ? basis.label : 'not required for this jurisdiction',
    justification: request.justification,
    window,
    advanceNoticeNote: request.flags.advanceNoticeWithheld
      ? `You were not told in advance because: ${request.noticeWithheldReason ?? request.steps.find((step) => step.status === 'waived')?.note ?? 'a reason was recorded'}.`
      : '',
    activitySummary: describeActivity(request.activity),
  };
}
