import { refusal } from '../../domain/refusal';
import { moved, refused, type Transition } from '../../domain/transition';
import type { AccessRequest } from '../../domain/types';
import type { AppContext } from '../context';
import { mutateRequest } from './mutate-request';

// Leases: which instance holds a request while it works on it. Inline work
// (a click) takes the lease in the write that starts it; the scheduler's
// claims name themselves in it, so a later write can prove the claim still holds.

/** Reserve the request for this instance in the same write that starts inline work. */
export function withLease(transition: Transition, owner: string, until: number): Transition {
  return transition.ok ? { ...transition, next: { ...transition.next, leaseOwner: owner, leaseUntil: until } } : transition;
}

/** Free the request once this instance's work on it is finished. */
export function withoutLease(transition: Transition): Transition {
  return transition.ok ? { ...transition, next: clearLease(transition.next) } : transition;
}

export function clearLease(request: AccessRequest): AccessRequest {
  const { leaseOwner: _owner, leaseUntil: _until, ...rest } = request;
  return rest;
}

/**
 * Is `current` still under the claim that handed the scheduler `claimed`?
 * Every claim's lease names it (owner "<instance>#<claim>"), so an inline
 * action, another instance's takeover or a later claim all show up here.
 */
export function underClaim(current: AccessRequest, claimed: AccessRequest): boolean {
  return claimed.leaseOwner !== undefined && current.leaseOwner === claimed.leaseOwner && current.leaseUntil === claimed.leaseUntil;
}

const LEASE_LOST = refusal('not-allowed', 'the scheduler no longer holds this request (someone else acted on it)');

/** Applies `decide` only while the claim still holds; the write itself proves it (conditional on the version). */
export function whileClaimed(
  claimed: AccessRequest,
  decide: (current: AccessRequest) => Transition,
): (current: AccessRequest) => Transition {
  return (current) => (underClaim(current, claimed) ? decide(current) : refused(LEASE_LOST));
}

/**
 * Before work that acts outside the store first (Exchange, Graph, notices):
 * proves the claim still holds and extends its lease for the work. Returns
 * the request as stored, or null when the claim was lost.
 */
export async function holdClaim(ctx: AppContext, claimed: AccessRequest): Promise<AccessRequest | null> {
  const result = await mutateRequest(
    ctx.store,
    claimed.id,
    whileClaimed(claimed, (current) =>
      moved({ ...current, leaseUntil: Math.max(current.leaseUntil ?? 0, ctx.clock.now() + ctx.leaseMs) }, 'lease.renewed'),
    ),
    claimed,
  );
  if (!result.ok) {
    ctx.logger.info({ requestId: claimed.id, reason: result.refusal.message }, 'claimed work skipped');
    return null;
  }
  return result.request;
}
