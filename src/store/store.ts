import type { AccessRequest, AuditEvent } from '../domain/types';

/** Thrown when the store cannot be reached; callers tell users "nothing was changed". */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** Thrown when an insert collides with an existing key (request ID, audit sequence). */
export class DuplicateKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DuplicateKeyError';
  }
}

/**
 * Thrown when a new request would be its requester's second open one
 * (pending, granting, active, revoking) for the same mailbox: the store's
 * unique index decides, so two submissions at once cannot both get in.
 */
export class OpenRequestExistsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenRequestExistsError';
  }
}

/** A stored Bot Framework conversation reference, by purpose ("approvals", "security", "user:<aadObjectId>", ...). */
export interface ConversationRecord {
  key: string;
  /** The serialisable ConversationReference (botbuilder's shape). */
  reference: Record<string, unknown>;
  registeredBy?: string;
  /** The registering person's name and the place's name as Teams gave them (for "conversations"). */
  registeredByName?: string;
  place?: string;
  registeredAt: number;
}

export interface AuditQuery {
  fromSeq?: number;
  from?: number;
  to?: number;
  requestId?: string;
  mailbox?: string;
  /** Entra object ID of the actor or of the requester named in the details. */
  actorId?: string;
  ticket?: string;
  limit?: number;
}

/** First retained record after retention removed older ones: the chain resumes from here. */
export interface AuditAnchor {
  seq: number;
  prevHash: string;
  removedThrough: number;
  exportedTo: string;
  at: number;
}

/** A small versioned record of a feature (access reviews, drift findings, sweeps), kept as JSON. */
export interface StoredRecord {
  /** What the record is, e.g. "review", "finding"; letters, digits and '-' only. */
  kind: string;
  id: string;
  /** 1 when inserted; every accepted update adds 1 (updateRecord compares it). */
  version: number;
  /** Indexed so that listRecords can filter on it, e.g. "open". */
  status: string;
  body: Record<string, unknown>;
}

export interface RecordQuery {
  /** Only records in one of these statuses (all when absent). */
  statuses?: string[];
  /** Only records whose id sorts after this one (paging). */
  afterId?: string;
  limit: number;
}

export interface ClaimOptions {
  now: number;
  /**
   * Also claim requests due up to this time (default: `now`), so that the
   * caller can start them on time from memory. A request due at `dueAt` is
   * leased until max(now, dueAt) + leaseMs.
   */
  horizon?: number;
  owner: string;
  leaseMs: number;
  limit: number;
}

/** Requests and their due work. Every change is one conditional write on `version`. */
export interface RequestStore {
  /**
   * Inserts a new request; DuplicateKeyError if the ID exists,
   * OpenRequestExistsError if its requester has an open request for its mailbox.
   */
  insertRequest(request: AccessRequest): Promise<void>;
  getRequest(id: string): Promise<AccessRequest | null>;
  /**
   * Replaces the request if its stored version is still `expectedVersion`;
   * the stored copy gets version expectedVersion + 1. Returns the stored
   * record, or null when someone else changed it first.
   */
  updateRequest(next: AccessRequest, expectedVersion: number): Promise<AccessRequest | null>;
  /** Newest first. */
  listRequestsByRequester(aadObjectId: string, limit: number): Promise<AccessRequest[]>;
  /** Requests in any of the given statuses, oldest first. */
  listRequestsByStatus(statuses: string[], limit: number): Promise<AccessRequest[]>;
  /**
   * Leases up to `limit` requests whose dueAt <= horizon (default now) and
   * whose lease is free or lapsed at `now`, earliest due first, setting
   * leaseOwner/leaseUntil (and bumping version). Returns the claimed records
   * as stored after the claim. Reads through an index on the due time.
   */
  claimDue(options: ClaimOptions): Promise<AccessRequest[]>;
}

/** Small versioned feature records (reviews, findings, sweeps). */
export interface RecordStore {
  /** Inserts a record at version 1; DuplicateKeyError if one with this kind and id exists. */
  insertRecord(record: Omit<StoredRecord, 'version'>): Promise<StoredRecord>;
  getRecord(kind: string, id: string): Promise<StoredRecord | null>;
  /**
   * Replaces status and body if the stored version is still `expectedVersion`
   * (the stored copy gets expectedVersion + 1); null when someone else changed it first or it does not exist.
   */
  updateRecord(
    kind: string,
    id: string,
    expectedVersion: number,
    next: Pick<StoredRecord, 'status' | 'body'>,
  ): Promise<StoredRecord | null>;
  /** Records of one kind, by id ascending. */
  listRecords(kind: string, query: RecordQuery): Promise<StoredRecord[]>;
}

/** The hash-chained audit trail: append-only records with a unique seq, and the retention anchor. */
export interface AuditStore {
  /** Appends one audit record; DuplicateKeyError if `seq` is taken (another writer won). */
  appendAudit(event: AuditEvent): Promise<void>;
  /**
   * Appends consecutive audit records in order, stopping at the first whose
   * seq is taken. Returns how many were appended: those are stored, the rest
   * are not.
   */
  appendAuditBatch(events: AuditEvent[]): Promise<number>;
  lastAudit(): Promise<AuditEvent | null>;
  /** Ascending by seq. */
  listAudit(query: AuditQuery): Promise<AuditEvent[]>;
  /** Removes audit records with seq <= throughSeq (retention, after export). */
  deleteAuditThrough(throughSeq: number): Promise<number>;
  getAuditAnchor(): Promise<AuditAnchor | null>;
  setAuditAnchor(anchor: AuditAnchor): Promise<void>;
}

/** Bot Framework conversation references, by purpose. */
export interface ConversationStore {
  putConversation(record: ConversationRecord): Promise<void>;
  getConversation(key: string): Promise<ConversationRecord | null>;
}

/** Named counters (request numbers and the like). */
export interface CounterStore {
  /** Atomically increments and returns a named counter (first value 1). */
  nextSequence(name: string): Promise<number>;
}

/**
 * Persistence for Custodian: all ports of one adapter. Implementations:
 * embedded SQLite (default) and MongoDB.
 */
export interface Store extends RequestStore, RecordStore, AuditStore, ConversationStore, CounterStore {
  readonly kind: string;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
