import type { AuditEvent } from '../../domain/types';

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

/**
 * `AuditQuery.actorId` also matches the requester named in the details
 * (`details.requester.aadObjectId`), so a revocation done by the system
 * still shows up when searching for the admin who held the access.
 */
export function requesterIdInDetails(details: Record<string, unknown>): string | null {
  const requester = details.requester;
  if (requester && typeof requester === 'object') {
    const id = (requester as { aadObjectId?: unknown }).aadObjectId;
    if (typeof id === 'string' && id !== '') return id;
  }
  return null;
}

/** Mailbox addresses compare case-insensitively, as Exchange does. */
export function mailboxKey(mailbox: string | undefined): string | null {
  return mailbox === undefined ? null : mailbox.toLowerCase();
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
