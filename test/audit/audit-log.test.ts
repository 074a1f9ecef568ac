import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditInputError, AuditLog, readChainHead } from '../../src/audit/audit-log';
import { computeHash, GENESIS_HASH } from '../../src/audit/hash';
import { verifyChain } from '../../src/audit/verify';
import { ManualClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { DuplicateKeyError, StoreUnavailableError, type Store } from '../../src/store/store';
import { appendSamples, capturingLogger, overrideStore } from './helpers/chain';

describe('AuditLog', () => {
  let dir: string;
  let store: SqliteStore;
  let clock: ManualClock;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-auditlog-'));
    store = SqliteStore.open(path.join(dir, 'custodian.db'));
    clock = new ManualClock();
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts the chain at seq 1 from the genesis hash and stores exactly what it returns', async () => {
    const log = new AuditLog(store, clock, silentLogger);
    const event = await log.append({
      type: 'request.created',
      actor: { aadObjectId: 'a-1', name: 'Ada' },
      requestId: 'CUS-2026-0001',
      details: { minutes: 30 },
    });
    const { hash, ...unsigned } = event;
    assert.equal(event.seq, 1);
    assert.equal(event.at, clock.now());
    assert.equal(event.prevHash, GENESIS_HASH);
    assert.equal(hash, computeHash(unsigned));
    assert.deepEqual(await store.listAudit({}), [event]);
  });

  it('links every record to the previous one', async () => {
    const log = new AuditLog(store, clock, silentLogger);
    const events = await appendSamples(log, clock, 6);
    assert.deepEqual(
      events.map((e) => e.seq),
      [1, 2, 3, 4, 5, 6],
    );
    for (let i = 1; i < events.length; i++) assert.equal(events[i].prevHash, events[i - 1].hash);
    assert.deepEqual(await verifyChain(store), { ok: true, count: 6, headSeq: 6 });
  });

  it('removes secret-looking keys from details at any depth and logs only their paths', async () => {
    const { logger, lines } = capturingLogger();
    const log = new AuditLog(store, clock, logger);
    const event = await log.append({
      type: 'config.checked',
      actor: { aadObjectId: 'a-1' },
      details: {
        password: 'hunter2',
        nested: { clientSecret: 'S3cr3t!', accessToken: 'eyJ.token', Authorization: 'Bearer abc.def', keep: 1 },
        list: [{ apiKey: 'k-123', ok: true }],
        refresh_token: 'rt-999',
        ticketUrl: 'https://tickets.example.com/INC-1',
      },
    });
    assert.deepEqual(event.details, { nested: { keep: 1 }, list: [{ ok: true }], ticketUrl: 'https://tickets.example.com/INC-1' });
    const stored = JSON.stringify(await store.listAudit({}));
    const logged = lines().join('\n');
    for (const secret of ['hunter2', 'S3cr3t!', 'eyJ.token', 'Bearer abc.def', 'k-123', 'rt-999']) {
      assert.ok(!stored.includes(secret), `stored record must not contain ${secret}`);
      assert.ok(!logged.includes(secret), `log must not contain ${secret}`);
    }
    assert.match(logged, /details\.nested\.clientSecret/);
    assert.match(logged, /details\.password/);
  });

  it('stores details as plain JSON so the hash still verifies after a round trip', async () => {
    const log = new AuditLog(store, clock, silentLogger);
    await log.append({
      type: 'access.granted',
      actor: { aadObjectId: 'a-1', name: undefined },
      details: {
        when: new Date(Date.UTC(2026, 0, 1)),
        ratio: Number.NaN,
        skip: undefined,
        big: 10n,
        error: new Error('boom'),
        minusZero: -0,
      },
    });
    const [stored] = await store.listAudit({});
    assert.deepEqual(stored.details, {
      when: '2026-01-01T00:00:00.000Z',
      ratio: 'NaN',
      big: '10',
      error: { name: 'Error', message: 'boom' },
      minusZero: 0,
    });
    assert.deepEqual(stored.actor, { aadObjectId: 'a-1' });
    assert.equal((await verifyChain(store)).ok, true);
  });

  it('refuses input it cannot record, naming the problem, and stores nothing', async () => {
    const log = new AuditLog(store, clock, silentLogger);
    await assert.rejects(
      log.append({ type: ' ', actor: { aadObjectId: 'a-1' } }),
      (e: Error) => e instanceof AuditInputError && /type/.test(e.message),
    );
    await assert.rejects(
      log.append({ type: 'x.y', actor: { aadObjectId: '' } }),
      (e: Error) => e instanceof AuditInputError && /aadObjectId/.test(e.message),
    );
    assert.equal(await store.lastAudit(), null);
  });

  it('never races itself: concurrent appends on one instance take consecutive seqs without conflicts, in few writes', async () => {
    let conflicts = 0;
    let writes = 0;
    const counting = overrideStore(store, {
      appendAuditBatch: async (events) => {
        writes++;
        const stored = await store.appendAuditBatch(events);
        if (stored < events.length) conflicts++;
        return stored;
      },
    });
    const log = new AuditLog(counting, clock, silentLogger);
    const events = await Promise.all(
      Array.from({ length: 20 }, (_, i) => log.append({ type: 'tick', actor: { aadObjectId: 'a' }, details: { i } })),
    );
    assert.equal(conflicts, 0);
    assert.deepEqual(
      events.map((e) => e.seq),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      events.map((e) => e.details.i),
      Array.from({ length: 20 }, (_, i) => i),
    );
    // The first write goes alone; the 19 that queued meanwhile go together.
    assert.equal(writes, 2);
    assert.deepEqual(await store.listAudit({}), events);
  });

  it('reads the head once, then follows its own appends, and re-reads when another writer moved on', async () => {
    let headReads = 0;
    const counting = overrideStore(store, {
      lastAudit: async () => {
        headReads++;
        return store.lastAudit();
      },
    });
    const mine = new AuditLog(counting, clock, silentLogger);
    const other = new AuditLog(store, clock, silentLogger);
    await mine.append({ type: 'one', actor: { aadObjectId: 'a' } });
    await mine.append({ type: 'two', actor: { aadObjectId: 'a' } });
    assert.equal(headReads, 1);
    const theirs = await other.append({ type: 'three', actor: { aadObjectId: 'b' } });
    const next = await mine.append({ type: 'four', actor: { aadObjectId: 'a' } });
    assert.deepEqual({ seq: next.seq, prevHash: next.prevHash }, { seq: 4, prevHash: theirs.hash });
    assert.equal(headReads, 2);
    assert.deepEqual(await verifyChain(store), { ok: true, count: 4, headSeq: 4 });
  });

  it('gives up after the configured attempts with a message saying why', async () => {
    let attempts = 0;
    const alwaysTaken = overrideStore(store, {
      appendAuditBatch: async () => {
        attempts++;
        return 0;
      },
    });
    const log = new AuditLog(alwaysTaken, clock, silentLogger, { maxAttempts: 3, maxBackoffMs: 1 });
    await assert.rejects(
      log.append({ type: 'x.y', actor: { aadObjectId: 'a' } }),
      /"x\.y".*other writers kept taking the next sequence number/,
    );
    assert.equal(attempts, 3);
  });

  it('chains what is left of a write onto the new head when another writer took a seq in the middle', async () => {
    const other = new AuditLog(store, clock, silentLogger);
    let interleaved = false;
    const racing = overrideStore(store, {
      appendAuditBatch: async (events) => {
        if (!interleaved && events.length > 1) {
          interleaved = true;
          // The other instance lands between this write's first and second record.
          const stored = await store.appendAuditBatch(events.slice(0, 1));
          await other.append({ type: 'theirs', actor: { aadObjectId: 'b' } });
          return stored;
        }
        return store.appendAuditBatch(events);
      },
    });
    const log = new AuditLog(racing, clock, silentLogger);
    await log.append({ type: 'first', actor: { aadObjectId: 'a' } });
    const results = await Promise.all(['m1', 'm2', 'm3'].map((type) => log.append({ type, actor: { aadObjectId: 'a' } })));
    assert.deepEqual(
      results.map((e) => e.seq),
      [2, 4, 5],
    );
    assert.deepEqual(
      (await store.listAudit({})).map((e) => e.type),
      ['first', 'm1', 'theirs', 'm2', 'm3'],
    );
    assert.deepEqual(await verifyChain(store), { ok: true, count: 5, headSeq: 5 });
  });

  it('a failed write does not fail the records queued with it: each is tried on its own', async () => {
    let failNext = true;
    const flaky = overrideStore(store, {
      appendAuditBatch: async (events) => {
        if (failNext) {
          failNext = false;
          throw new StoreUnavailableError('down');
        }
        return store.appendAuditBatch(events);
      },
    });
    const log = new AuditLog(flaky, clock, silentLogger);
    const [first, second] = await Promise.allSettled([
      log.append({ type: 'one', actor: { aadObjectId: 'a' } }),
      log.append({ type: 'two', actor: { aadObjectId: 'a' } }),
    ]);
    assert.equal(first.status, 'rejected');
    assert.ok(first.status === 'rejected' && first.reason instanceof StoreUnavailableError);
    assert.equal(second.status === 'fulfilled' && second.value.seq, 1);
  });

  it('a failed write of several records is retried record by record', async () => {
    const log0 = new AuditLog(store, clock, silentLogger);
    await log0.append({ type: 'zero', actor: { aadObjectId: 'a' } });
    let calls = 0;
    const flaky = overrideStore(store, {
      appendAuditBatch: async (events) => {
        calls++;
        // Second call: the batch of three queued records fails once as a whole.
        if (calls === 2) throw new StoreUnavailableError('blip');
        return store.appendAuditBatch(events);
      },
    });
    const log = new AuditLog(flaky, clock, silentLogger);
    const first = log.append({ type: 'a', actor: { aadObjectId: 'a' } });
    const rest = ['b', 'c', 'd'].map((type) => log.append({ type, actor: { aadObjectId: 'a' } }));
    const settled = await Promise.allSettled([first, ...rest]);
    assert.deepEqual(
      settled.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.deepEqual(
      (await store.listAudit({})).map((e) => e.type),
      ['zero', 'a', 'b', 'c', 'd'],
    );
  });

  it('continues from the retention anchor when every older record was removed', async () => {
    const log = new AuditLog(store, clock, silentLogger);
    const events = await appendSamples(log, clock, 3);
    await store.setAuditAnchor({ seq: 4, prevHash: events[2].hash, removedThrough: 3, exportedTo: '/x.json', at: clock.now() });
    await store.deleteAuditThrough(3);
    assert.deepEqual(await readChainHead(store), { nextSeq: 4, prevHash: events[2].hash });
    const next = await log.append({ type: 'after.retention', actor: { aadObjectId: 'a' } });
    assert.equal(next.seq, 4);
    assert.equal(next.prevHash, events[2].hash);
  });
});
