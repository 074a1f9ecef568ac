import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { StoreUnavailableError } from '../../src/store/store';
import { storeContract } from './contract';
import { raceContract } from './race-contract';
import { sqliteRaceClients } from './sqlite-race-clients';
import { T0, makeAuditEvent, makeRequest } from './fixtures';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-sqlite-'));
}

storeContract('SqliteStore (file)', async () => {
  const dir = tempDir();
  const store = SqliteStore.open(path.join(dir, 'custodian.sqlite'));
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

storeContract('SqliteStore (:memory:)', async () => {
  const store = SqliteStore.open(':memory:');
  return { store, cleanup: () => store.close() };
});

raceContract('SqliteStore (one connection per worker thread)', async (count) => {
  const dir = tempDir();
  const file = path.join(dir, 'custodian.sqlite');
  const setup = SqliteStore.open(file);
  const race = await sqliteRaceClients(file, count);
  return {
    setup,
    clients: race.clients,
    async close() {
      await race.close();
      await setup.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteStore specifics', function () {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the parent folder, uses WAL, and keeps data across close and reopen', async function () {
    const file = path.join(dir, 'nested', 'deeper', 'custodian.sqlite');
    const request = makeRequest({ dueAt: T0 });
    const first = SqliteStore.open(file);
    await first.insertRequest(request);
    await first.appendAudit(makeAuditEvent(1));
    assert.equal(await first.nextSequence('requests'), 1);
    await first.close();

    const raw = new Database(file, { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    raw.close();

    const second = SqliteStore.open(file);
    assert.deepEqual(await second.getRequest(request.id), request);
    assert.equal((await second.lastAudit())?.seq, 1);
    assert.equal(await second.nextSequence('requests'), 2);
    await second.close();
  });

  it('uses the dueAt index for the claim query', async function () {
    const file = path.join(dir, 'plan.sqlite');
    await SqliteStore.open(file).close();
    const raw = new Database(file, { readonly: true });
    const plan = raw
      .prepare(
        `EXPLAIN QUERY PLAN SELECT body FROM requests
         WHERE due_at IS NOT NULL AND due_at <= 1 AND (lease_until IS NULL OR lease_until <= 1) ORDER BY due_at LIMIT 5`,
      )
      .all() as Array<{ detail: string }>;
    raw.close();
    assert.match(plan.map((row) => row.detail).join('\n'), /USING INDEX requests_by_due/);
  });

  it('refuses a database written by a newer schema', function () {
    const file = path.join(dir, 'future.sqlite');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    assert.throws(() => SqliteStore.open(file), /schema version 999 is newer/);
  });

  it('reports a closed store as unavailable', async function () {
    const store = SqliteStore.open(path.join(dir, 'closed.sqlite'));
    await store.close();
    await assert.rejects(store.ping(), StoreUnavailableError);
  });

  it('reports a path it cannot open as unavailable', function () {
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, 'not a folder');
    assert.throws(() => SqliteStore.open(path.join(blocker, 'custodian.sqlite')), StoreUnavailableError);
  });
});
