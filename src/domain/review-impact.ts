import type { JurisdictionPolicy } from './policy';
import type { AccessRequest } from './types';

/** Why a grant is marked for review besides the random sample. */
export type ReviewReason = 'sample' | 'full-access' | 'strict-jurisdiction' | 'conflict-of-interest' | 'ended-by-failure' | 'manual-action';

export const REVIEW_REASON_LABELS: Record<ReviewReason, string> = {
  sample: 'random sample',
  'full-access': 'FullAccess',
  'strict-jurisdiction': 'strict jurisdiction',
  'conflict-of-interest': 'conflict of interest',
  'ended-by-failure': 'ended by failure',
  'manual-action': 'manual action',
};

/**
 * A pack is strict when the requester must name a legal basis or more than one
 * role must approve (as in NO). The request's own copy of the approvals counts
 * too, so a later edit of the pack does not change how an old grant is judged.
 */
export function isStrict(request: AccessRequest, policy: JurisdictionPolicy | undefined): boolean {
  const roles = new Set(request.requiredApprovals.map((requirement) => requirement.role));
  const packRoles = new Set((policy?.approvals ?? []).map((requirement) => requirement.role));
  return roles.size > 1 || packRoles.size > 1 || (policy?.legalBases.length ?? 0) > 0 || request.legalBasis !== undefined;
}

/** Every high-impact reason that applies to a grant; empty when it is ordinary. */
export function highImpactReasons(request: AccessRequest, policy: JurisdictionPolicy | undefined): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  if (request.access === 'FullAccess') reasons.push('full-access');
  if (isStrict(request, policy)) reasons.push('strict-jurisdiction');
  if (request.flags.conflictOfInterest) reasons.push('conflict-of-interest');
  const failed =
    request.status === 'grant_failed' ||
    request.grantError !== undefined ||
    request.lastRevokeError !== undefined ||
    request.revokeAttempts > 1;
  if (failed) reasons.push('ended-by-failure');
  if (request.revokeReason === 'manual' || request.manualActionRaisedAt !== undefined) reasons.push('manual-action');
  return reasons;
}
