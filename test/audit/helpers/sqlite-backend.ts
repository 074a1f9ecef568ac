import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditEvent } from '../../../src/domain/types';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import type { Backend, RawAudit } from './backend';

/** Reads and rewrites audit rows behind the store's back, as someone with the database file could. */
class SqliteRawAudit implements RawAudit {
  constructor(private readonly db: Database.Database) {}

  async get(position: number): Promise<AuditEvent> {
    const row = this.db.prepare('SELECT body FROM audit WHERE seq = ?').get(position) as { body: string } | undefined;
    if (!row) throw new Error(`no audit row at ${position}`);
    return JSON.parse(row.body) as AuditEvent;
  }

  async put(position: number, event: AuditEvent): Promise<void> {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO audit (seq, at, request_id, mailbox, actor_id, requester_id, ticket, body)
         VALUES (?, ?, ?, ?, ?, NULL, ?, ?)`,
      )
      .run(
        position,
        event.at,
        event.requestId ?? null,
        event.mailbox?.toLowerCase() ?? null,
        event.actor.aadObjectId,
        event.ticket ?? null,
        JSON.stringify(event),
      );
  }

  async remove(position: number): Promise<void> {
    this.db.prepare('DELETE FROM audit WHERE seq = ?').run(position);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export const sqliteBackend: Backend = {
  name: 'SQLite',
  async setUp() {},
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-audit-'));
    const file = path.join(dir, 'custodian.db');
    const store = SqliteStore.open(file);
    const raw = new SqliteRawAudit(new Database(file));
    const others: SqliteStore[] = [];
    return {
      store,
      raw,
      async connectAgain() {
        const other = SqliteStore.open(file);
        others.push(other);
        return other;
      },
      async cleanup() {
        await raw.close();
        for (const other of others) await other.close();
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
