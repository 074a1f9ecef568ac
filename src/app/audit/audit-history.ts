import { ROLE_SECURITY } from '../../domain/policy';
import { isRequestId, normaliseRequestId } from '../../domain/request-id';
import type { AuditEvent, Person } from '../../domain/types';
import type { AuditQuery } from '../../store/store';
import type { AppContext } from '../context';

export interface AuditHistory {
  subject: string;
  events: AuditEvent[];
  /** More records matched than are shown. */
  truncated: boolean;
}

const SHOWN = 40;
const FETCHED = 2_000;

/**
 * The trail for a mailbox, a request or a ticket, for members of the security
 * role only; anyone else is refused, and the refusal is itself audited.
 */
export async function auditHistory(
  ctx: AppContext,
  viewer: Person,
  subject: string,
): Promise<{ ok: true; history: AuditHistory } | { ok: false; message: string }> {
  if (!(await ctx.roles.hasRole(viewer, ROLE_SECURITY))) {
    await ctx.audit.append({ type: 'refused.audit-query', actor: viewer, details: { subject } });
    return { ok: false, message: 'Only members of the security role can read the audit trail.' };
  }
  const trimmed = subject.trim();
  if (!trimmed) return { ok: false, message: 'Say what to look up: "audit alex@contoso.com", "audit CUS-2026-0042" or "audit INC-1234".' };
  const query: AuditQuery = isRequestId(trimmed)
    ? { requestId: normaliseRequestId(trimmed) }
    : trimmed.includes('@')
      ? { mailbox: trimmed.toLowerCase() }
      : { ticket: trimmed };
  const events = await ctx.store.listAudit({ ...query, limit: FETCHED });
  await ctx.audit.append({ type: 'audit.queried', actor: viewer, details: { subject: trimmed, matched: events.length } });
  return { ok: true, history: { subject: trimmed, events: events.slice(-SHOWN), truncated: events.length > SHOWN } };
}
