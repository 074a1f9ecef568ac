import type { Collection, Document, Filter } from 'mongodb';
import { DuplicateKeyError, type RecordQuery, type StoredRecord } from '../store';
import { requireLimit, requireVersion } from '../arguments';
import { decodeDocument, encodeDocument } from './key-encoding';
import { isDuplicateKey } from './mongo-errors';

// The generic records (access reviews, drift findings, sweeps) on the common
// MongoDB / Cosmos DB / FerretDB 1.x subset. Conditional updates are decided
// the same way as request changes (see mongo-requests.ts): by inserting the
// revision "<kind>:<id>@<version>" with a unique _id, which exactly one writer
// can do, and then bringing the head document up to date. Argument rules are
// the SQLite store's (src/store/sqlite/sqlite-records.ts).

const KIND = /^[a-z][a-z0-9-]{0,39}$/;
/** Longest revision chain followed in one roll-forward. */
const MAX_ROLL_FORWARD = 1000;

function checkRecordKey(kind: string, id: string, what: string): void {
  if (typeof kind !== 'string' || !KIND.test(kind))
    throw new RangeError(`${what}: kind must be lower-case letters, digits and '-', got ${JSON.stringify(kind)}`);
  if (typeof id !== 'string' || id === '' || id.length > 200)
    throw new RangeError(`${what}: id must be a non-empty string of at most 200 characters`);
}

function checkContent(status: string, body: unknown, what: string): void {
  if (typeof status !== 'string' || status === '') throw new RangeError(`${what}: status must be a non-empty string`);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new RangeError(`${what}: body must be an object`);
}

/** Kinds never contain ':', so "<kind>:<id>" is unique. */
export function recordKey(kind: string, id: string): string {
  return `${kind}:${id}`;
}

function revisionKey(kind: string, id: string, version: number): string {
  return `${recordKey(kind, id)}@${version}`;
}

function toDocument(record: StoredRecord): Document {
  return { kind: record.kind, id: record.id, version: record.version, status: record.status, body: encodeDocument(record.body) };
}

function fromDocument(doc: Document): StoredRecord {
  return {
    kind: doc.kind as string,
    id: doc.id as string,
    version: doc.version as number,
    status: doc.status as string,
    body: decodeDocument<Record<string, unknown>>(doc.body as Record<string, unknown>),
  };
}

export class MongoRecords {
  constructor(
    private readonly heads: Collection<Document>,
    private readonly revisions: Collection<Document>,
  ) {}

  async insert(record: Omit<StoredRecord, 'version'>): Promise<StoredRecord> {
    checkRecordKey(record.kind, record.id, 'insertRecord');
    checkContent(record.status, record.body, 'insertRecord');
    const stored: StoredRecord = { kind: record.kind, id: record.id, version: 1, status: record.status, body: record.body };
    try {
      await this.heads.insertOne({ _id: recordKey(stored.kind, stored.id) as never, ...toDocument(stored) });
    } catch (err) {
      if (isDuplicateKey(err)) throw new DuplicateKeyError(`record ${stored.kind} ${stored.id} already exists`);
      throw err;
    }
    return stored;
  }

  async get(kind: string, id: string): Promise<StoredRecord | null> {
    checkRecordKey(kind, id, 'getRecord');
    const head = await this.heads.findOne({ _id: recordKey(kind, id) as never });
    return head ? this.rollForward(fromDocument(head)) : null;
  }

  async update(
    kind: string,
    id: string,
    expectedVersion: number,
    next: Pick<StoredRecord, 'status' | 'body'>,
  ): Promise<StoredRecord | null> {
    checkRecordKey(kind, id, 'updateRecord');
    requireVersion(expectedVersion, 'updateRecord');
    checkContent(next.status, next.body, 'updateRecord');
    const current = await this.get(kind, id);
    if (!current || current.version !== expectedVersion) return null;
    const stored: StoredRecord = { kind, id, version: expectedVersion + 1, status: next.status, body: next.body };
    try {
      await this.revisions.insertOne({ _id: revisionKey(kind, id, stored.version) as never, record: toDocument(stored) });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await this.rollForward(current);
      return null;
    }
    // Decided; a lost head refresh is repaired by the next reader.
    await this.writeHead(stored).catch(() => undefined);
    return stored;
  }

  async list(kind: string, query: RecordQuery): Promise<StoredRecord[]> {
    checkRecordKey(kind, 'x', 'listRecords');
    const limit = requireLimit(query.limit, 'listRecords: limit');
    if (limit === 0 || (query.statuses && query.statuses.length === 0)) return [];
    const filter: Filter<Document> = { kind };
    if (query.statuses) filter.status = { $in: query.statuses };
    if (query.afterId !== undefined) filter.id = { $gt: query.afterId };
    // Like listing requests, this reads heads only: a head that lags its revisions (a lost write)
    // is caught up by the next getRecord/updateRecord, which every change goes through.
    const docs = await this.heads.find(filter).sort({ id: 1 }).limit(limit).toArray();
    return docs.map(fromDocument);
  }

  private async rollForward(record: StoredRecord): Promise<StoredRecord> {
    let latest = record;
    for (let step = 0; step < MAX_ROLL_FORWARD; step++) {
      const revision = await this.revisions.findOne({ _id: revisionKey(latest.kind, latest.id, latest.version + 1) as never });
      if (!revision) break;
      latest = fromDocument(revision.record as Document);
    }
    if (latest !== record) await this.writeHead(latest);
    return latest;
  }

  private async writeHead(record: StoredRecord): Promise<void> {
    await this.heads.replaceOne(
      { _id: recordKey(record.kind, record.id) as never, version: { $lt: record.version } },
      { _id: recordKey(record.kind, record.id), ...toDocument(record) },
    );
  }
}
