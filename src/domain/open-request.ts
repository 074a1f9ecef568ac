import type { AccessRequest, RequestStatus } from './types';

/** While a request is in one of these, its requester holds or may soon hold access to its mailbox through it. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['pending', 'granting', 'active', 'revoking'];

export function isOpen(request: Pick<AccessRequest, 'status'>): boolean {
  return OPEN_STATUSES.includes(request.status);
}
