import type { Transition } from '../domain/transition';
import type { AccessRequest } from '../domain/types';

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
