import { randomBytes } from 'node:crypto';
import type { Document, Filter } from 'mongodb';
import type { AccessRequest } from '../../domain/types';
import { decodeDocument } from './key-encoding';

// The shapes of the three request collections (see mongo-requests.ts for how they work together).
// Every document of one change carries the writer's random `writer` token, so that the
// head and due entry of the writer that won a version can be told from those of one that lost it.

export function newWriterToken(): string {
  return randomBytes(6).toString('hex');
}

export function revisionId(requestId: string, version: number): string {
  return `${requestId}@${version}`;
}

/** Revision: one per version of a request, never changed; inserting it is what decides a change. */
export interface RevisionDocument {
  _id: string;
  requestId: string;
  version: number;
  /** Absent on revisions written before writer tokens existed. */
  writer?: string;
  /** The record as JSON text: cheap to store and to scan on every server. */
  record: string | Record<string, unknown>;
}

export function revisionDocument(request: AccessRequest, writer: string): RevisionDocument {
  return {
    _id: revisionId(request.id, request.version),
    requestId: request.id,
    version: request.version,
    writer,
    record: JSON.stringify(request),
  };
}

export function fromRevision(doc: Document): AccessRequest {
  const record = doc.record as RevisionDocument['record'];
  // Revisions of the first layout hold the record as a (key-encoded) document.
  return typeof record === 'string' ? (JSON.parse(record) as AccessRequest) : decodeDocument<AccessRequest>(record);
}

/**
 * Head: what lists query, one per version that changed more than the lease.
 * The fields lists and operators search by are plain fields; the record
 * itself is JSON text, which every server stores and scans cheaply.
 */
export interface HeadDocument {
  _id: string;
  id: string;
  version: number;
  status: string;
  requesterId: string;
  mailbox: string;
  ticket: string;
  createdAt: number;
  /** Absent on heads brought over from the first layout. */
  writer?: string;
  writtenAt: number;
  record: string;
}

export function headDocument(request: AccessRequest, writer: string | undefined, writtenAt: number): HeadDocument {
  return {
    _id: `${revisionId(request.id, request.version)}#${writer ?? 'upgraded'}`,
    id: request.id,
    version: request.version,
    status: request.status,
    requesterId: request.requester.aadObjectId,
    mailbox: request.mailbox.upn.toLowerCase(),
    ticket: request.ticket,
    createdAt: request.createdAt,
    ...(writer !== undefined ? { writer } : {}),
    writtenAt,
    record: JSON.stringify(request),
  };
}

/** What a head is the head of. */
export interface HeadMeta {
  _id: string;
  writer?: string;
  writtenAt?: number;
}

export function fromHead(doc: Document): { request: AccessRequest; meta: HeadMeta } {
  return {
    request: JSON.parse(doc.record as string) as AccessRequest,
    meta: { _id: String(doc._id), writer: doc.writer as string | undefined, writtenAt: doc.writtenAt as number | undefined },
  };
}

/** Due entry: the schedule's index, one small document per version that has a due time. */
export interface DueEntry {
  _id: string;
  requestId: string;
  version: number;
  writer: string;
  dueAt: number;
  leaseUntil: number | null;
  /** Wall-clock time of the write, to tell a writer that is still busy from one that died. */
  writtenAt: number;
}

export function dueEntryDocument(request: AccessRequest, writer: string, writtenAt: number): DueEntry {
  if (request.dueAt === null) throw new Error(`request ${request.id} v${request.version} has no due time`);
  return {
    _id: `${revisionId(request.id, request.version)}#${writer}`,
    requestId: request.id,
    version: request.version,
    writer,
    dueAt: request.dueAt,
    leaseUntil: request.leaseUntil ?? null,
    writtenAt,
  };
}

/** Entries due by `horizon` whose lease is free or lapsed at `now`. */
export function dueFilter(horizon: number, now: number): Filter<Document> {
  return { dueAt: { $lte: horizon }, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] };
}
