import type { AuditEvent } from '../../domain/types';
import { mailboxKey, requesterIdInDetails } from '../audit-search';

/** The indexed columns of one audit row, derived from the event itself. */
export interface AuditColumns {
  seq: number;
  at: number;
  requestId: string | null;
  mailbox: string | null;
  actorId: string;
  requesterId: string | null;
  ticket: string | null;
}

export function auditColumns(event: AuditEvent): AuditColumns {
  return {
    seq: event.seq,
    at: event.at,
    requestId: event.requestId ?? null,
    mailbox: mailboxKey(event.mailbox),
    actorId: event.actor.aadObjectId,
    requesterId: requesterIdInDetails(event.details),
    ticket: event.ticket ?? null,
  };
}
