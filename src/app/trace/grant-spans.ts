import type { GrantSpan } from '../../domain/change-trace';
import type { AccessRequest, RequestStatus } from '../../domain/types';
import type { Store } from '../../store/store';

// Requests that were approved: only they may have put a permission in place.
const APPROVED: RequestStatus[] = ['granting', 'active', 'revoking', 'revoked', 'grant_failed'];
const HELD: ReadonlySet<RequestStatus> = new Set(['granting', 'active', 'revoking']);

/** When the request's permission may have been in place: from the approval until Exchange confirmed its removal. */
export function spanOf(request: AccessRequest): GrantSpan | null {
  const grantee = request.requester.upn;
  if (!grantee) return null;
  const from = request.decision?.at ?? request.grantedAt ?? request.createdAt;
  return {
    requestId: request.id,
    mailbox: request.mailbox.upn.toLowerCase(),
    grantee: grantee.toLowerCase(),
    access: request.access,
    folder: request.folder,
    from,
    to: HELD.has(request.status) ? null : (request.revokedAt ?? request.expiresAt ?? from),
  };
}

export async function loadGrantSpans(store: Store): Promise<GrantSpan[]> {
  const requests = await store.listRequestsByStatus(APPROVED, 1_000_000);
  return requests.flatMap((request) => spanOf(request) ?? []);
}

/** Mailboxes that requests of a jurisdiction named (the ones Custodian knows belong to it). */
export async function mailboxesOfJurisdiction(store: Store, code: string): Promise<Set<string>> {
  const all = await store.listRequestsByStatus([...APPROVED, 'pending', 'rejected', 'cancelled', 'expired'], 1_000_000);
  return new Set(all.filter((r) => r.jurisdiction.toUpperCase() === code.toUpperCase()).map((r) => r.mailbox.upn.toLowerCase()));
}
