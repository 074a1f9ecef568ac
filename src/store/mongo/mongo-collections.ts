import type { Collection, Db, Document, IndexDescription } from 'mongodb';

/** Collection names, in one place so that tooling and tests agree. */
export const COLLECTIONS = {
  /** Heads: what lists query, one per version that changed more than the lease (_id = "<id>@<version>#<writer>"); see request-documents.ts. */
  requests: 'requests',
  /** One document per version of a request (_id = "<request id>@<version>"); inserting it is what decides a write. */
  requestRevisions: 'request_revisions',
  /** One small document per request version due within 15 minutes (or overdue): what the scheduler's claim query reads. */
  requestDue: 'request_due',
  /** The same for versions due later; moved to request_due as their time comes (see due-entries.ts). */
  requestDueLater: 'request_due_later',
  /** Hint per counter name: the highest value handed out so far. */
  counters: 'counters',
  /** One document per value handed out (_id = "<name>@<value>"); inserting it is what reserves the value. */
  counterValues: 'counter_values',
  conversations: 'conversations',
  /** One document per audit record, _id = seq (so seq is unique). */
  audit: 'audit',
  /** Where the audit chain ended after recent appends (_id = seq), so instances find the end cheaply. */
  auditHeads: 'audit_heads',
  /** Single documents such as the audit anchor. */
  meta: 'meta',
  /** Generic records (reviews, findings, sweeps), _id = "<kind>:<id>": the current state. */
  records: 'records',
  /** One document per accepted record change (_id = "<kind>:<id>@<version>"); inserting it decides the write. */
  recordRevisions: 'record_revisions',
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** Name of the index that claimDue relies on (on the due entries). */
export const DUE_INDEX = 'due';

const INDEXES: Partial<Record<CollectionName, IndexDescription[]>> = {
  [COLLECTIONS.requestDue]: [{ key: { dueAt: 1 }, name: DUE_INDEX }],
  [COLLECTIONS.requestDueLater]: [{ key: { dueAt: 1 }, name: DUE_INDEX }],
  [COLLECTIONS.requests]: [
    { key: { id: 1, version: -1 }, name: 'by_request' },
    { key: { requesterId: 1, createdAt: -1 }, name: 'by_requester_id' },
    { key: { status: 1, createdAt: 1 }, name: 'by_status' },
  ],
  [COLLECTIONS.audit]: [
    { key: { at: 1 }, name: 'by_at' },
    { key: { requestId: 1 }, name: 'by_request' },
    { key: { '_search.mailbox': 1 }, name: 'by_mailbox' },
    // Actor and requester-named-in-details, so one index serves AuditQuery.actorId.
    { key: { '_search.subjects': 1 }, name: 'by_subject' },
    { key: { ticket: 1 }, name: 'by_ticket' },
  ],
  [COLLECTIONS.records]: [
    { key: { kind: 1, status: 1, id: 1 }, name: 'by_kind_status' },
    { key: { kind: 1, id: 1 }, name: 'by_kind' },
  ],
};

/**
 * Creates the indexes the queries rely on that do not exist yet, one at a
 * time: FerretDB 1.24 drops the connection (server-side panic) when one
 * createIndexes command lists several indexes that already exist.
 */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const [name, indexes] of Object.entries(INDEXES)) {
    if (!indexes) continue;
    const collection = db.collection(name);
    const existing = new Set(
      (
        await collection
          .listIndexes()
          .toArray()
          .catch((err: { codeName?: string }) => {
            if (err.codeName === 'NamespaceNotFound') return [];
            throw err;
          })
      ).map((index) => index.name as string),
    );
    for (const index of indexes) {
      if (!existing.has(index.name as string)) await collection.createIndexes([index]);
    }
  }
}

export interface MongoCollections {
  requests: Collection<Document>;
  requestRevisions: Collection<Document>;
  requestDue: Collection<Document>;
  requestDueLater: Collection<Document>;
  counters: Collection<Document>;
  counterValues: Collection<Document>;
  conversations: Collection<Document>;
  audit: Collection<Document>;
  auditHeads: Collection<Document>;
  meta: Collection<Document>;
  records: Collection<Document>;
  recordRevisions: Collection<Document>;
}

export function collectionsOf(db: Db): MongoCollections {
  return {
    requests: db.collection(COLLECTIONS.requests),
    requestRevisions: db.collection(COLLECTIONS.requestRevisions),
    requestDue: db.collection(COLLECTIONS.requestDue),
    requestDueLater: db.collection(COLLECTIONS.requestDueLater),
    counters: db.collection(COLLECTIONS.counters),
    counterValues: db.collection(COLLECTIONS.counterValues),
    conversations: db.collection(COLLECTIONS.conversations),
    audit: db.collection(COLLECTIONS.audit),
    auditHeads: db.collection(COLLECTIONS.auditHeads),
    meta: db.collection(COLLECTIONS.meta),
    records: db.collection(COLLECTIONS.records),
    recordRevisions: db.collection(COLLECTIONS.recordRevisions),
  };
}
