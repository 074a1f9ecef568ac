import type { Collection, Db, Document, IndexDescription } from 'mongodb';

/** Collection names, in one place so that tooling and tests agree. All unsharded (see deploy/README.md). */
export const COLLECTIONS = {
  /** One document per request, _id = request id; see request-documents.ts. */
  requests: 'requests',
  /** One document per counter name, `value` raised with $inc. */
  counters: 'counters',
  /** One document per conversation key. */
  conversations: 'conversations',
  /** One document per audit record, _id = seq (so seq is unique). */
  audit: 'audit',
  /** Single documents such as the audit anchor. */
  meta: 'meta',
  /** Generic records (reviews, findings, sweeps), _id = "<kind>:<id>". */
  records: 'records',
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** Name of the unique index that allows one open request per requester and mailbox. */
export const OPEN_SLOT_INDEX = 'one_open_per_mailbox';

/** Name of the index that claimDue's candidate query reads. */
export const DUE_INDEX = 'by_due';

/** One index per query the store makes beyond lookups by _id; sorts follow the index path order (Cosmos DB RU needs that). */
const INDEXES: Partial<Record<CollectionName, IndexDescription[]>> = {
  [COLLECTIONS.requests]: [
    { key: { dueAt: 1 }, name: DUE_INDEX },
    { key: { claim: 1 }, name: 'by_claim' },
    { key: { openSlot: 1 }, name: OPEN_SLOT_INDEX, unique: true },
    { key: { requesterId: 1, createdAt: -1 }, name: 'by_requester' },
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

/** Creates the indexes at start-up; createIndexes leaves existing ones with the same definition alone. */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const [name, indexes] of Object.entries(INDEXES)) {
    if (indexes) await db.collection(name).createIndexes(indexes);
  }
}

export type MongoCollections = Record<keyof typeof COLLECTIONS, Collection<Document>>;

export function collectionsOf(db: Db): MongoCollections {
  const entries = Object.entries(COLLECTIONS).map(([key, name]) => [key, db.collection(name)]);
  return Object.fromEntries(entries) as MongoCollections;
}
