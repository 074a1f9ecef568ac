import type Database from 'better-sqlite3';
import type { RecordQuery, StoredRecord } from '../store';
import { requireLimit, requireVersion } from '../arguments';

// The generic "records" table (access reviews, drift findings, sweeps): one
// row per kind and id, the body as JSON, status indexed for listRecords.
// Same argument rules as the MongoDB store (src/store/mongo/mongo-records.ts).

const KIND = /^[a-z][a-z0-9-]{0,39}$/;

interface RecordRow {
  kind: string;
  id: string;
  version: number;
  status: string;
  body: string;
}

/** Rejects a kind or id the stores could not both keep, naming the argument. */
export function checkRecordKey(kind: string, id: string, what: string): void {
  if (typeof kind !== 'string' || !KIND.test(kind))
    throw new RangeError(`${what}: kind must be lower-case letters, digits and '-', got ${JSON.stringify(kind)}`);
  if (typeof id !== 'string' || id === '' || id.length > 200)
    throw new RangeError(`${what}: id must be a non-empty string of at most 200 characters`);
}

function checkStatus(status: string, what: string): void {
  if (typeof status !== 'string' || status === '') throw new RangeError(`${what}: status must be a non-empty string`);
}

function checkBody(body: unknown, what: string): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new RangeError(`${what}: body must be an object`);
}

function fromRow(row: RecordRow): StoredRecord {
  return { kind: row.kind, id: row.id, version: row.version, status: row.status, body: JSON.parse(row.body) as Record<string, unknown> };
}

export class SqliteRecords {
  constructor(private readonly db: Database.Database) {}

  insert(record: Omit<StoredRecord, 'version'>): StoredRecord {
    checkRecordKey(record.kind, record.id, 'insertRecord');
    checkStatus(record.status, 'insertRecord');
    checkBody(record.body, 'insertRecord');
    const stored: StoredRecord = { kind: record.kind, id: record.id, version: 1, status: record.status, body: record.body };
    this.db
      .prepare('INSERT INTO records (kind, id, version, status, body) VALUES (@kind, @id, @version, @status, @body)')
      .run({ ...stored, body: JSON.stringify(stored.body) });
    return stored;
  }

  get(kind: string, id: string): StoredRecord | null {
    checkRecordKey(kind, id, 'getRecord');
    const row = this.db.prepare('SELECT kind, id, version, status, body FROM records WHERE kind = ? AND id = ?').get(kind, id) as
      RecordRow | undefined;
    return row ? fromRow(row) : null;
  }

  update(kind: string, id: string, expectedVersion: number, next: Pick<StoredRecord, 'status' | 'body'>): StoredRecord | null {
    checkRecordKey(kind, id, 'updateRecord');
    requireVersion(expectedVersion, 'updateRecord');
    checkStatus(next.status, 'updateRecord');
    checkBody(next.body, 'updateRecord');
    const stored: StoredRecord = { kind, id, version: expectedVersion + 1, status: next.status, body: next.body };
    const result = this.db
      .prepare(
        'UPDATE records SET version = @version, status = @status, body = @body WHERE kind = @kind AND id = @id AND version = @expectedVersion',
      )
      .run({ ...stored, body: JSON.stringify(stored.body), expectedVersion });
    return result.changes === 1 ? stored : null;
  }

  list(kind: string, query: RecordQuery): StoredRecord[] {
    checkRecordKey(kind, 'x', 'listRecords');
    const limit = requireLimit(query.limit, 'listRecords: limit');
    if (query.statuses && query.statuses.length === 0) return [];
    const where = ['kind = ?'];
    const args: (string | number)[] = [kind];
    if (query.statuses) {
      where.push(`status IN (${query.statuses.map(() => '?').join(', ')})`);
      args.push(...query.statuses);
    }
    if (query.afterId !== undefined) {
      where.push('id > ?');
      args.push(query.afterId);
    }
    const rows = this.db
      .prepare(`SELECT kind, id, version, status, body FROM records WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`)
      .all(...args, limit) as RecordRow[];
    return rows.map(fromRow);
  }
}
