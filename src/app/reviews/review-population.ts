import type { AccessRequest } from '../../domain/types';
import type { AppContext } from '../context';

/** Audit events that put a grant into a review period. */
const GRANT_EVENTS = new Set(['grant.confirmed', 'grant.failed', 'revoke.manual-action-raised']);

/**
 * Every grant of the period [from, to): granted in it, failed in it, or ended
 * by hand or raised for manual action in it. Read from the audit trail, which
 * is indexed by time, rather than by scanning every request ever made.
 * Sorted by request ID so that the population is the same on every re-run.
 */
export async function grantsOfPeriod(ctx: AppContext, from: number, to: number): Promise<AccessRequest[]> {
  const events = await ctx.store.listAudit({ from, to: to - 1, limit: 1_000_000 });
  const ids = new Set<string>();
  for (const event of events) {
    if (!event.requestId) continue;
    if (GRANT_EVENTS.has(event.type) || (event.type === 'revoke.started' && event.details.reason === 'manual')) ids.add(event.requestId);
  }
  const requests: AccessRequest[] = [];
  for (const id of [...ids].sort()) {
    const request = await ctx.store.getRequest(id);
    if (request) requests.push(request);
  }
  return requests;
}
