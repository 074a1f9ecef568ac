import { isStrict } from '../../domain/review-impact';
import type { AccessLevel, AccessRequest, AuditEvent, Person } from '../../domain/types';

/** What the report needs to know about a request, from its submission record or, failing that, the store. */
export interface RequestFacts {
  submittedAt: number;
  access: AccessLevel | 'unknown';
  durationMinutes: number | null;
  requester: string;
  jurisdiction: string;
  conflictOfInterest: boolean;
  strictJurisdiction: boolean;
  /** Known only from the store (the trail has them in grant.confirmed, which may predate the period). */
  grantedAt?: number;
  expiresAt?: number;
}

export function personLabel(person: Partial<Person> | undefined): string {
  return person?.upn ?? person?.name ?? person?.aadObjectId ?? 'unknown';
}

/** From a "request.submitted" record, which carries the request as submitted. */
export function factsFromSubmission(event: AuditEvent): RequestFacts {
  const details = event.details;
  const flags = (details.flags ?? {}) as { conflictOfInterest?: unknown };
  const requiredApprovals = Array.isArray(details.requiredApprovals)
    ? (details.requiredApprovals as AccessRequest['requiredApprovals'])
    : [];
  const legalBasis = typeof details.legalBasis === 'string' ? details.legalBasis : undefined;
  return {
    submittedAt: event.at,
    access: typeof details.access === 'string' ? (details.access as AccessLevel) : 'unknown',
    durationMinutes: typeof details.durationMinutes === 'number' ? details.durationMinutes : null,
    requester: personLabel((details.requester as Person | undefined) ?? event.actor),
    jurisdiction: event.jurisdiction ?? 'unknown',
    conflictOfInterest: typeof flags.conflictOfInterest === 'string',
    strictJurisdiction: strictFromRecord(requiredApprovals, legalBasis),
  };
}

/** From the stored request, for a request submitted before the period. */
export function factsFromRequest(request: AccessRequest): RequestFacts {
  return {
    submittedAt: request.createdAt,
    access: request.access,
    durationMinutes: request.durationMinutes,
    requester: personLabel(request.requester),
    jurisdiction: request.jurisdiction,
    conflictOfInterest: request.flags.conflictOfInterest !== undefined,
    strictJurisdiction: isStrict(request, undefined),
    grantedAt: request.grantedAt,
    expiresAt: request.expiresAt,
  };
}

/**
 * The review's rule for strict packs (isStrict), applied to what the
 * submission record holds: the request's copy of its approvals and its legal basis.
 */
function strictFromRecord(requiredApprovals: AccessRequest['requiredApprovals'], legalBasis: string | undefined): boolean {
  const asSubmitted: Pick<AccessRequest, 'requiredApprovals' | 'legalBasis'> = { requiredApprovals, legalBasis };
  return isStrict(asSubmitted as AccessRequest, undefined);
}
