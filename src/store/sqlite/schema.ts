import type Database from 'better-sqlite3';

/**
 * Ordered schema migrations. The database's `user_version` records how many
 * have been applied; opening a store applies the rest in one transaction.
 * Append new steps; never edit a step that has shipped.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE requests (
    id            TEXT PRIMARY KEY,
    version       INTEGER NOT NULL,
    status        TEXT NOT NULL,
    requester_id  TEXT NOT NULL,
    mailbox       TEXT NOT NULL,
    due_at        INTEGER,
    lease_until   INTEGER,
    created_at    INTEGER NOT NULL,
    body          TEXT NOT NULL
  ) STRICT;
  CREATE INDEX requests_by_requester ON requests (requester_id, created_at DESC);
  CREATE INDEX requests_by_status ON requests (status, created_at);
  CREATE INDEX requests_by_due ON requests (due_at) WHERE due_at IS NOT NULL;
  CREATE INDEX requests_by_mailbox ON requests (mailbox);

  CREATE TABLE audit (
    seq           INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    request_id    TEXT,
    mailbox       TEXT,
    actor_id      TEXT NOT NULL,
    requester_id  TEXT,
    ticket        TEXT,
    body          TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_by_at ON audit (at);
  CREATE INDEX audit_by_request ON audit (request_id);
  CREATE INDEX audit_by_mailbox ON audit (mailbox);
  CREATE INDEX audit_by_actor ON audit (actor_id);
  CREATE INDEX audit_by_requester ON audit (requester_id);
  CREATE INDEX audit_by_ticket ON audit (ticket);

  CREATE TABLE audit_anchor (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    body  TEXT NOT NULL
  ) STRICT;

  CREATE TABLE counters (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE conversations (
    key   TEXT PRIMARY KEY,
    body  TEXT NOT NULL
  ) STRICT;
  `,
  `
  CREATE TABLE records (
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    version  INTEGER NOT NULL,
    status   TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (kind, id)
  ) STRICT;
  CREATE INDEX records_by_status ON records (kind, status, id);
  `,
  // One open request per requester and mailbox (the statuses of domain/open-request.ts).
  `
  CREATE UNIQUE INDEX requests_one_open_per_mailbox ON requests (requester_id, mailbox)
    WHERE status IN ('pending', 'granting', 'active', 'revoking');
  `,
];

/** Brings the schema up to date; returns the resulting schema version. */
export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `SQLite database schema version ${current} is newer than this build understands (${MIGRATIONS.length}); refusing to open it`,
    );
  }
  if (current === MIGRATIONS.length) return current;
  db.transaction(() => {
    for (let step = current; step < MIGRATIONS.length; step++) db.exec(MIGRATIONS[step]);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
  return MIGRATIONS.length;
}

export const SCHEMA_VERSION = MIGRATIONS.length;
