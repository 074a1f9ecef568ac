import type { Collection, Document, Filter } from 'mongodb';
import type { RecordQuery, StoredRecord } from '../store';
import { requireLimit, requireRecordContent, requireRecordKey, requireVersion } from '../arguments';
import { insertNew, updateAtVersion } from './conditional-write';
import { decodeDocument, encodeDocument } from './key-encoding';

// The generic records (access reviews, drift findings, sweeps): one document
// each, _id "<kind>:<id>" (kinds never contain ':'), changed by one
// conditional write on its version, like requests.

export function recordKey(kind: string, id: string): string {
  return `${kind}:${id}`;
}

function fields(record: Pick<StoredRecord, 'kind' | 'id' | 'status' | 'body'>): Document {
  return { kind: record.kind, id: record.id, status: record.status, body: encodeDocument(record.body) };
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
  constructor(private readonly records: Collection<Document>) {}

  async insert(record: Omit<StoredRecord, 'version'>): Promise<StoredRecord> {
    requireRecordKey(record.kind, record.id, 'insertRecord');
    requireRecordContent(record, 'insertRecord');
    const stored: StoredRecord = { kind: record.kind, id: record.id, version: 1, status: record.status, body: record.body };
    await insertNew(
      this.records,
      { _id: recordKey(stored.kind, stored.id), version: 1, ...fields(stored) },
      `record ${stored.kind} ${stored.id}`,
    );
    return stored;
  }

  async get(kind: string, id: string): Promise<StoredRecord | null> {
    requireRecordKey(kind, id, 'getRecord');
    const doc = await this.records.findOne({ _id: recordKey(kind, id) as never });
    return doc ? fromDocument(doc) : null;
  }

  async update(
    kind: string,
    id: string,
    expectedVersion: number,
    next: Pick<StoredRecord, 'status' | 'body'>,
  ): Promise<StoredRecord | null> {
    requireRecordKey(kind, id, 'updateRecord');
    requireVersion(expectedVersion, 'updateRecord');
    requireRecordContent(next, 'updateRecord');
    const stored: StoredRecord = { kind, id, version: expectedVersion + 1, status: next.status, body: next.body };
    return (await updateAtVersion(this.records, recordKey(kind, id), expectedVersion, fields(stored))) ? stored : null;
  }

  async list(kind: string, query: RecordQuery): Promise<StoredRecord[]> {
    requireRecordKey(kind, 'x', 'listRecords');
    requireLimit(query.limit, 'listRecords: limit');
    if (query.limit === 0 || (query.statuses && query.statuses.length === 0)) return [];
    const filter: Filter<Document> = { kind };
    if (query.statuses) filter.status = { $in: query.statuses };
    if (query.afterId !== undefined) filter.id = { $gt: query.afterId };
    const docs = await this.records.find(filter).sort({ id: 1 }).limit(query.limit).toArray();
    return docs.map(fromDocument);
  }
}
