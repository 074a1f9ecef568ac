import type { Document } from 'mongodb';
import { isOpen } from '../../domain/open-request';
import type { AccessRequest } from '../../domain/types';

// One document per request: the fields the queries filter and sort on, the
// lease (which claims change for many requests in one updateMany), and the
// whole record as JSON text (kept exactly, field order included). The
// document's version and lease fields are authoritative over the text's.

/** The fields an insert or a conditional update writes (version and writer token are added by the write). */
export function requestFields(request: AccessRequest): Document {
  return {
    status: request.status,
    requesterId: request.requester.aadObjectId,
    mailbox: request.mailbox.upn.toLowerCase(),
    ticket: request.ticket,
    createdAt: request.createdAt,
    dueAt: request.dueAt,
    openSlot: openSlot(request),
    leaseOwner: request.leaseOwner ?? null,
    leaseUntil: request.leaseUntil ?? null,
    record: JSON.stringify(request),
  };
}

/**
 * Unique across the collection: requester and mailbox while the request is
 * open, its own id once it is not. A plain unique index on it allows one open
 * request per requester and mailbox without a partial index (Cosmos DB RU has none).
 */
function openSlot(request: AccessRequest): string {
  return isOpen(request) ? `open:${request.requester.aadObjectId}:${request.mailbox.upn.toLowerCase()}` : `closed:${request.id}`;
}

export function fromRequestDocument(doc: Document): AccessRequest {
  const request = JSON.parse(doc.record as string) as AccessRequest;
  request.version = doc.version as number;
  if (doc.leaseOwner === null || doc.leaseOwner === undefined) delete request.leaseOwner;
  else request.leaseOwner = doc.leaseOwner as string;
  if (doc.leaseUntil === null || doc.leaseUntil === undefined) delete request.leaseUntil;
  else request.leaseUntil = doc.leaseUntil as number;
  return request;
}

/** Due by `horizon` and not leased at `now`: the claim's candidate filter, re-checked by its update. */
export function dueFilter(horizon: number, now: number): Document {
  return { dueAt: { $lte: horizon }, ...leaseFree(now) };
}

/** Not leased at `now`: no lease, or one that has lapsed. */
export function leaseFree(now: number): Document {
  return { $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] };
}
