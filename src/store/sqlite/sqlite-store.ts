import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AccessRequest, AuditEvent } from '../../domain/types';
import {
  DuplicateKeyError,
  type AuditAnchor,
  type AuditQuery,
  type ClaimOptions,
  type ConversationRecord,
  type RecordQuery,
  type Store,
  type StoredRecord,
} from '../store';
import { mailboxKey } from '../audit-search';
import { auditColumns } from './audit-columns';
import { requireClaimOptions, requireLimit, requireVersion } from '../arguments';
import { migrate } from './schema';
import { SqliteRecords } from './sqlite-records';
import { translateSqliteError } from './sqlite-errors';

interface BodyRow {
  body: string;
}

/** The indexed columns of a request row; the whole record lives in `body`. */
function requestRow(request: AccessRequest) {
  return {
    id: request.id,
    version: request.version,
    status: request.status,
    requesterId: request.requester.aadObjectId,
    mailbox: mailboxKey(request.mailbox.upn),
    dueAt: request.dueAt,
    leaseUntil: request.leaseUntil ?? null,
    createdAt: request.createdAt,
    body: JSON.stringify(request),
  };
}

/**
 * The embedded default store: one SQLite file in WAL mode. Records are kept as
 * JSON next to the columns the queries filter and sort on. better-sqlite3 is
 * synchronous, so every write below is one statement or one IMMEDIATE
 * transaction, which SQLite serialises across connections and processes.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';

  private readonly records: SqliteRecords;
  private readonly insertAudit: Database.Statement;

  private constructor(private readonly db: Database.Database) {
    this.records = new SqliteRecords(db);
    this.insertAudit = db.prepare(
      `INSERT INTO audit (seq, at, request_id, mailbox, actor_id, requester_id, ticket, body)
       VALUES (@seq, @at, @requestId, @mailbox, @actorId, @requesterId, @ticket, @body)`,
    );
  }

  /** Opens (creating if needed) the database at `filePath`, or ':memory:'. */
  static open(filePath: string): SqliteStore {
    const inMemory = filePath === ':memory:';
    try {
      if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
      // `timeout` is SQLite's busy timeout: wait for another writer instead of failing at once.
      const db = new Database(filePath, { timeout: 5000 });
      try {
        if (!inMemory) db.pragma('journal_mode = WAL');
        // The audit trail and "intent persisted" states must survive a power cut.
        db.pragma('synchronous = FULL');
        migrate(db);
      } catch (err) {
        db.close();
        throw err;
      }
      return new SqliteStore(db);
    } catch (err) {
      throw translateSqliteError(err, `opening SQLite database ${filePath}`);
    }
  }

  private run<T>(what: string, work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (err) {
      return Promise.reject(translateSqliteError(err, what));
    }
  }

  nextSequence(name: string): Promise<number> {
    return this.run(`nextSequence(${name})`, () => {
      const row = this.db
        .prepare(
          `INSERT INTO counters (name, value) VALUES (?, 1)
           ON CONFLICT (name) DO UPDATE SET value = value + 1
           RETURNING value`,
        )
        .get(name) as { value: number };
      return row.value;
    });
  }

  insertRequest(request: AccessRequest): Promise<void> {
    return this.run(`insertRequest(${request.id})`, () => {
      // The id is checked first, as on MongoDB: SQLite may report the open-request index before the primary key.
      if (this.db.prepare('SELECT 1 FROM requests WHERE id = ?').get(request.id))
        throw new DuplicateKeyError(`insertRequest(${request.id}): the key already exists`);
      this.db
        .prepare(
          `INSERT INTO requests (id, version, status, requester_id, mailbox, due_at, lease_until, created_at, body)
           VALUES (@id, @version, @status, @requesterId, @mailbox, @dueAt, @leaseUntil, @createdAt, @body)`,
        )
        .run(requestRow(request));
    });
  }

  getRequest(id: string): Promise<AccessRequest | null> {
    return this.run(`getRequest(${id})`, () => {
      const row = this.db.prepare('SELECT body FROM requests WHERE id = ?').get(id) as BodyRow | undefined;
      return row ? (JSON.parse(row.body) as AccessRequest) : null;
    });
  }

  updateRequest(next: AccessRequest, expectedVersion: number): Promise<AccessRequest | null> {
    return this.run(`updateRequest(${next.id})`, () => {
      requireVersion(expectedVersion, 'updateRequest');
      const stored: AccessRequest = { ...next, version: expectedVersion + 1 };
      const result = this.db
        .prepare(
          `UPDATE requests SET version = @version, status = @status, requester_id = @requesterId, mailbox = @mailbox,
             due_at = @dueAt, lease_until = @leaseUntil, created_at = @createdAt, body = @body
           WHERE id = @id AND version = @expectedVersion`,
        )
        .run({ ...requestRow(stored), expectedVersion });
      return result.changes === 1 ? stored : null;
    });
  }

  listRequestsByRequester(aadObjectId: string, limit: number): Promise<AccessRequest[]> {
    return this.run('listRequestsByRequester', () => {
      const rows = this.db
        .prepare('SELECT body FROM requests WHERE requester_id = ? ORDER BY created_at DESC LIMIT ?')
        .all(aadObjectId, requireLimit(limit)) as BodyRow[];
      return rows.map((row) => JSON.parse(row.body) as AccessRequest);
    });
  }

  listRequestsByStatus(statuses: string[], limit: number): Promise<AccessRequest[]> {
    return this.run('listRequestsByStatus', () => {
      requireLimit(limit);
      if (statuses.length === 0) return [];
      const marks = statuses.map(() => '?').join(', ');
      const rows = this.db
        .prepare(`SELECT body FROM requests WHERE status IN (${marks}) ORDER BY created_at ASC LIMIT ?`)
        .all(...statuses, limit) as BodyRow[];
      return rows.map((row) => JSON.parse(row.body) as AccessRequest);
    });
  }

  claimDue(options: ClaimOptions): Promise<AccessRequest[]> {
    return this.run('claimDue', () => {
      requireClaimOptions(options);
      const { now, owner, leaseMs, limit } = options;
      const horizon = options.horizon ?? now;
      const select = this.db.prepare(
        `SELECT body FROM requests
         WHERE due_at IS NOT NULL AND due_at <= @horizon AND (lease_until IS NULL OR lease_until <= @now)
         ORDER BY due_at LIMIT @limit`,
      );
      const lease = this.db.prepare('UPDATE requests SET version = @version, lease_until = @leaseUntil, body = @body WHERE id = @id');
      const claim = this.db.transaction((): AccessRequest[] => {
        const rows = select.all({ now, horizon, limit }) as BodyRow[];
        return rows.map((row) => {
          const current = JSON.parse(row.body) as AccessRequest;
          const leaseUntil = Math.max(now, current.dueAt ?? now) + leaseMs;
          const claimed: AccessRequest = { ...current, leaseOwner: owner, leaseUntil, version: current.version + 1 };
          lease.run({ id: claimed.id, version: claimed.version, leaseUntil: claimed.leaseUntil, body: JSON.stringify(claimed) });
          return claimed;
        });
      });
      // IMMEDIATE takes the write lock before reading, so two processes cannot select the same rows.
      return claim.immediate();
    });
  }

  insertRecord(record: Omit<StoredRecord, 'version'>): Promise<StoredRecord> {
    return this.run(`insertRecord(${record.kind} ${record.id})`, () => this.records.insert(record));
  }

  getRecord(kind: string, id: string): Promise<StoredRecord | null> {
    return this.run(`getRecord(${kind} ${id})`, () => this.records.get(kind, id));
  }

  updateRecord(
    kind: string,
    id: string,
    expectedVersion: number,
    next: Pick<StoredRecord, 'status' | 'body'>,
  ): Promise<StoredRecord | null> {
    return this.run(`updateRecord(${kind} ${id})`, () => this.records.update(kind, id, expectedVersion, next));
  }

  listRecords(kind: string, query: RecordQuery): Promise<StoredRecord[]> {
    return this.run(`listRecords(${kind})`, () => this.records.list(kind, query));
  }

  putConversation(record: ConversationRecord): Promise<void> {
    return this.run(`putConversation(${record.key})`, () => {
      this.db
        .prepare('INSERT INTO conversations (key, body) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET body = excluded.body')
        .run(record.key, JSON.stringify(record));
    });
  }

  getConversation(key: string): Promise<ConversationRecord | null> {
    return this.run(`getConversation(${key})`, () => {
      const row = this.db.prepare('SELECT body FROM conversations WHERE key = ?').get(key) as BodyRow | undefined;
      return row ? (JSON.parse(row.body) as ConversationRecord) : null;
    });
  }

  appendAudit(event: AuditEvent): Promise<void> {
    return this.run(`appendAudit(seq ${event.seq})`, () => {
      this.insertAudit.run({ ...auditColumns(event), body: JSON.stringify(event) });
    });
  }

  appendAuditBatch(events: AuditEvent[]): Promise<number> {
    return this.run(`appendAuditBatch(${events.length} records)`, () => {
      const append = this.db.transaction((): number => {
        for (const [index, event] of events.entries()) {
          try {
            this.insertAudit.run({ ...auditColumns(event), body: JSON.stringify(event) });
          } catch (err) {
            // A taken seq ends the batch here; the records before it stay (the statement alone is undone).
            if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return index;
            throw err;
          }
        }
        return events.length;
      });
      return append.immediate();
    });
  }

  lastAudit(): Promise<AuditEvent | null> {
    return this.run('lastAudit', () => {
      const row = this.db.prepare('SELECT body FROM audit ORDER BY seq DESC LIMIT 1').get() as BodyRow | undefined;
      return row ? (JSON.parse(row.body) as AuditEvent) : null;
    });
  }

  listAudit(query: AuditQuery): Promise<AuditEvent[]> {
    return this.run('listAudit', () => {
      const where: string[] = [];
      const args: Record<string, string | number> = {};
      const filter = (clause: string, name: string, value: string | number | undefined) => {
        if (value === undefined) return;
        where.push(clause);
        args[name] = value;
      };
      filter('seq >= @fromSeq', 'fromSeq', query.fromSeq);
      filter('at >= @from', 'from', query.from);
      filter('at <= @to', 'to', query.to);
      filter('request_id = @requestId', 'requestId', query.requestId);
      filter('mailbox = @mailbox', 'mailbox', query.mailbox?.toLowerCase());
      filter('(actor_id = @actorId OR requester_id = @actorId)', 'actorId', query.actorId);
      filter('ticket = @ticket', 'ticket', query.ticket);
      if (query.limit !== undefined) args.limit = requireLimit(query.limit, 'listAudit: limit');
      const sql =
        'SELECT body FROM audit' +
        (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
        ' ORDER BY seq ASC' +
        (query.limit !== undefined ? ' LIMIT @limit' : '');
      const rows = this.db.prepare(sql).all(args) as BodyRow[];
      return rows.map((row) => JSON.parse(row.body) as AuditEvent);
    });
  }

  deleteAuditThrough(throughSeq: number): Promise<number> {
    return this.run('deleteAuditThrough', () => this.db.prepare('DELETE FROM audit WHERE seq <= ?').run(throughSeq).changes);
  }

  getAuditAnchor(): Promise<AuditAnchor | null> {
    return this.run('getAuditAnchor', () => {
      const row = this.db.prepare('SELECT body FROM audit_anchor WHERE id = 1').get() as BodyRow | undefined;
      return row ? (JSON.parse(row.body) as AuditAnchor) : null;
    });
  }

  setAuditAnchor(anchor: AuditAnchor): Promise<void> {
    return this.run('setAuditAnchor', () => {
      this.db
        .prepare('INSERT INTO audit_anchor (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body')
        .run(JSON.stringify(anchor));
    });
  }

  ping(): Promise<void> {
    return this.run('ping', () => {
      this.db.prepare('SELECT 1').get();
    });
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
