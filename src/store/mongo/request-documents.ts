import { randomBytes } from 'node:crypto';
import type { Document, Filter } from 'mongodb';
import type { AccessRequest } from '../../domain/types';
import { decodeDocument, encodeDocument } from './key-encoding';

// The shapes of the three request collections (see mongo-requests.ts for how they work together).

/** Head: the queryable copy of a request, _id = request id, fields as in the record. */
export function headDocument(request: AccessRequest): Document {
  return { _id: request.id, ...encodeDocument(request) };
}

export function fromHead(doc: Document): AccessRequest {
  const { _id, ...rest } = doc;
  return decodeDocument<AccessRequest>(rest);
}

export function revisionId(requestId: string, version: number): string {
  return `${requestId}@${version}`;
}

/** Revision: one per version of a request, never changed; inserting it is what decides a change. */
export function revisionDocument(request: AccessRequest): Document {
  return { _id: revisionId(request.id, request.version), requestId: request.id, version: request.version, record: encodeDocument(request) };
}

export function fromRevision(doc: Document): AccessRequest {
  return decodeDocument<AccessRequest>(doc.record as Record<string, unknown>);
}

/** What a due entry says about the version it was written for. */
export interface DueEntry {
  _id: string;
  requestId: string;
  version: number;
  dueAt: number;
  leaseUntil: number | null;
  /** Wall-clock time of the write, to tell a writer that is still busy from one that died. */
  writtenAt: number;
}

/**
 * Due entry: written for every version that has a due time, just before that
 * version's revision. The random suffix keeps entries of two writers racing
 * for the same version apart; only the one matching the revision counts.
 */
export function dueEntryDocument(request: AccessRequest, writtenAt: number): DueEntry {
  if (request.dueAt === null) throw new Error(`request ${request.id} v${request.version} has no due time`);
  return {
    _id: `${revisionId(request.id, request.version)}#${randomBytes(6).toString('hex')}`,
    requestId: request.id,
    version: request.version,
    dueAt: request.dueAt,
    leaseUntil: request.leaseUntil ?? null,
    writtenAt,
  };
}

/** Does the entry describe this record (same version, due time and lease)? */
export function entryMatches(entry: DueEntry, request: AccessRequest): boolean {
  return entry.version === request.version && entry.dueAt === request.dueAt && entry.leaseUntil === (request.leaseUntil ?? null);
}

/** Entries due by `horizon` whose lease is free or lapsed at `now`. */
export function dueFilter(horizon: number, now: number): Filter<Document> {
  return { dueAt: { $lte: horizon }, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] };
}
