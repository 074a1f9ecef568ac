import type { AccessRequest, Person } from '../../domain/types';
import type { AppContext } from '../context';

/** Appends an audit record carrying the request's identifying fields. */
export async function auditRequest(
  ctx: AppContext,
  type: string,
  actor: Person,
  request: AccessRequest | null,
  details?: Record<string, unknown>,
): Promise<void> {
  await ctx.audit.append({
    type,
    actor,
    requestId: request?.id,
    ticket: request?.ticket,
    mailbox: request?.mailbox.upn,
    jurisdiction: request?.jurisdiction,
    // The requester travels with every record so that exports can filter by requester whoever acted.
    details: { ...(request ? { status: request.status, requester: request.requester } : {}), ...details },
  });
}
