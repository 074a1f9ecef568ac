import assert from 'node:assert/strict';
import net from 'node:net';
import { MongoClient, type Db, type Document } from 'mongodb';
import { COLLECTIONS, DUE_INDEX } from '../../../src/store/mongo/mongo-collections';
import type { AccessRequest } from '../../../src/domain/types';
import { encodeDocument } from '../../../src/store/mongo/key-encoding';
import { dueEntryDocument, headDocument, revisionId } from '../../../src/store/mongo/request-documents';
import { MongoStore } from '../../../src/store/mongo/mongo-store';
import { DuplicateKeyError, StoreUnavailableError } from '../../../src/store/store';
import { mongoUriOrSkip } from '../../setup/mongo-server';
import { T0, makeAuditEvent, makeRequest } from '../fixtures';

const RUN = `custodian_mtest_${Date.now().toString(36)}_${process.pid}`;

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP relay to the test server that can cut every connection, like a network failure. */
async function relayTo(uri: string): Promise<{ uri: string; cut(): Promise<void> }> {
  const target = new URL(uri.replace(/^mongodb:/, 'http:'));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 27017), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

/** Every key at any depth of a stored document. */
function allKeys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) allKeys(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Document)) {
      out.push(key);
      allKeys(item, out);
    }
  }
  return out;
}

describe('MongoStore specifics', function () {
  let uri: string;
  let admin: MongoClient;
  let n = 0;
  let dbName: string;
  let db: Db;
  let store: MongoStore;

  before(async function () {
    uri = await mongoUriOrSkip(this);
    admin = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  });

  after(async function () {
    await admin?.close();
  });

  beforeEach(async function () {
    dbName = `${RUN}_${++n}`;
    db = admin.db(dbName);
    store = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000 });
  });

  afterEach(async function () {
    await store?.close();
    await db?.dropDatabase();
  });

  it('reads the claimDue query through the dueAt index where the server can', async function () {
    const indexes = await db.collection(COLLECTIONS.requestDue).listIndexes().toArray();
    assert.ok(
      indexes.some((index) => index.name === DUE_INDEX),
      'the due index exists',
    );
    for (let i = 0; i < 50; i++) await store.insertRequest(makeRequest({ dueAt: i % 2 === 0 ? T0 + i : null }));
    const plan = await store.explainDueQuery(T0 + 100, 10);
    if (plan.server === 'mongodb') {
      assert.equal(plan.usesIndex, true, `expected an index scan, got ${plan.detail}`);
      assert.equal(plan.indexName, DUE_INDEX);
    } else {
      // FerretDB 1.x on SQLite pushes only `_id` equality down to the backend;
      // every other filter is a full scan. If this starts failing, FerretDB
      // uses indexes now: expect the due index here instead.
      assert.equal(plan.server, 'ferretdb');
      assert.equal(plan.usesIndex, false, plan.detail);
      assert.match(plan.detail, /SCAN/);
    }
  });

  it('connects again to a database it already set up, and finds its data', async function () {
    const request = makeRequest();
    await store.insertRequest(request);
    const again = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000 });
    try {
      assert.deepEqual(await again.getRequest(request.id), request);
    } finally {
      await again.close();
    }
  });

  it('stores awkward keys and nested arrays in a form every server accepts', async function () {
    const reference = { 'a.b': 1, $c: { d: [[1], [2]] }, conversation: { id: '19:x@thread.tacv2;messageid=1' } };
    await store.putConversation({ key: 'user:1', reference, registeredAt: T0 });
    const raw = await db.collection(COLLECTIONS.conversations).findOne({ _id: 'user:1' as never });
    assert.ok(raw);
    for (const key of allKeys(raw)) assert.ok(!key.includes('.') && !key.startsWith('$'), `stored key ${key}`);
    assert.deepEqual((await store.getConversation('user:1'))?.reference, reference);
  });

  it('keeps request documents searchable by operators: id, status, requester, mailbox and ticket as plain fields', async function () {
    const request = makeRequest({ mailbox: { upn: 'Alex@Contoso.example' } });
    await store.insertRequest(request);
    const raw = await db.collection(COLLECTIONS.requests).findOne({
      id: request.id,
      status: 'pending',
      requesterId: request.requester.aadObjectId,
      mailbox: 'alex@contoso.example',
      ticket: request.ticket,
    });
    assert.ok(raw, 'found by the plain fields');
    assert.deepEqual(JSON.parse(raw.record as string), request, 'with the whole record as JSON');
  });

  it('stores changes as inserts only: nothing is updated in place', async function () {
    const commands: string[] = [];
    const watched = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000, onCommand: (name) => commands.push(name) });
    try {
      const request = makeRequest({ dueAt: T0 });
      await watched.insertRequest(request);
      const [claimed] = await watched.claimDue({ now: T0, owner: 'w', leaseMs: 1000, limit: 1 });
      const done = await watched.updateRequest({ ...claimed, status: 'cancelled', dueAt: null }, claimed.version);
      assert.equal(done?.version, 3);
      assert.deepEqual(
        (await watched.listRequestsByStatus(['cancelled'], 5)).map((r) => r.id),
        [request.id],
      );
      assert.ok(commands.includes('insert') && commands.includes('find'), commands.join(','));
      assert.deepEqual(
        commands.filter((name) => name === 'update' || name === 'findAndModify'),
        [],
      );
    } finally {
      await watched.close();
    }
  });

  it("keeps entries due later out of the claim query's collection, and moves them over as their time comes", async function () {
    const HOUR = 3_600_000;
    const dueAt = Date.now() + 2 * HOUR;
    const request = makeRequest({ dueAt });
    await store.insertRequest(request);
    const near = db.collection(COLLECTIONS.requestDue);
    const later = db.collection(COLLECTIONS.requestDueLater);
    assert.deepEqual([await near.countDocuments({ requestId: request.id }), await later.countDocuments({ requestId: request.id })], [0, 1]);
    assert.deepEqual(await store.claimDue({ now: dueAt - HOUR, horizon: dueAt - HOUR + 30_000, owner: 'w', leaseMs: 1000, limit: 5 }), []);
    assert.deepEqual(
      [await near.countDocuments({ requestId: request.id }), await later.countDocuments({ requestId: request.id })],
      [0, 1],
      'an hour ahead it still waits',
    );
    assert.deepEqual(await store.claimDue({ now: dueAt - 600_000, owner: 'w', leaseMs: 1000, limit: 5 }), []);
    assert.deepEqual(
      [await near.countDocuments({ requestId: request.id }), await later.countDocuments({ requestId: request.id })],
      [1, 0],
      'ten minutes ahead it has moved',
    );
    const [claimed] = await store.claimDue({ now: dueAt, owner: 'w', leaseMs: 1000, limit: 5 });
    assert.deepEqual([claimed?.id, claimed?.version], [request.id, 2]);
  });

  it('removes superseded heads and due entries in bulk, and never needs them', async function () {
    const request = makeRequest({ dueAt: T0 });
    await store.insertRequest(request);
    let current = request;
    for (let step = 0; step < 5; step++)
      current = (await store.updateRequest({ ...current, ticket: `INC-${step}`, dueAt: T0 + step }, current.version))!;
    const heads = db.collection(COLLECTIONS.requests);
    const entries = db.collection(COLLECTIONS.requestDue);
    assert.ok((await heads.countDocuments({ id: request.id })) > 1, 'superseded heads wait for the bulk removal');
    assert.deepEqual(await store.getRequest(request.id), current);
    await store.close();
    store = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000 });
    assert.equal(await heads.countDocuments({ id: request.id }), 1, 'closing removed the superseded heads');
    assert.equal(await entries.countDocuments({ requestId: request.id }), 1, 'and the superseded due entries');
    assert.deepEqual(await store.getRequest(request.id), current);
    assert.deepEqual(
      (await store.claimDue({ now: T0 + 10, owner: 'w', leaseMs: 1000, limit: 5 })).map((r) => [r.id, r.version]),
      [[request.id, 7]],
    );
  });

  it('ignores what a writer that lost or died left behind, and removes it once it is old', async function () {
    const request = makeRequest({ dueAt: T0 });
    await store.insertRequest(request);
    // A writer that lost version 2 to someone else, and one that died before deciding version 2.
    const lost = { ...request, version: 1, status: 'rejected' as const, dueAt: T0 - 5 };
    const dying = { ...request, version: 2, status: 'cancelled' as const, dueAt: T0 - 5 };
    const old = Date.now() - 60_000;
    await db.collection(COLLECTIONS.requests).insertMany([headDocument(lost, 'loser', old), headDocument(dying, 'dead', old)] as never[]);
    await db
      .collection(COLLECTIONS.requestDue)
      .insertMany([dueEntryDocument(lost, 'loser', old), dueEntryDocument(dying, 'dead', old)] as never[]);

    assert.deepEqual(await store.listRequestsByStatus(['rejected', 'cancelled'], 10), [], 'neither version is real');
    assert.deepEqual(
      (await store.listRequestsByStatus(['pending'], 10)).map((r) => r.version),
      [1],
    );
    const [claimed] = await store.claimDue({ now: T0, owner: 'w', leaseMs: 1000, limit: 5 });
    assert.deepEqual(
      [claimed?.status, claimed?.version, claimed?.dueAt],
      ['pending', 2, T0],
      'the real version 1 is claimed, as version 2',
    );
    const other = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000, orphanAfterMs: 30_000 });
    try {
      assert.deepEqual(await other.getRequest(request.id), claimed, 'an instance that never saw it reads it through the heads');
      assert.deepEqual(await other.claimDue({ now: T0, owner: 'x', leaseMs: 1000, limit: 5 }), []);
    } finally {
      await other.close();
    }
    const left = await db.collection(COLLECTIONS.requests).find({ id: request.id }).toArray();
    assert.deepEqual(
      left.map((head) => head.writer).filter((writer) => writer === 'loser' || writer === 'dead'),
      [],
      'both removed',
    );
  });

  it('lets a second instance see a change at once, in reads, lists and claims', async function () {
    const other = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000 });
    try {
      const request = makeRequest({ dueAt: T0 });
      await store.insertRequest(request);
      assert.deepEqual(await other.getRequest(request.id), request);
      const active = await store.updateRequest({ ...request, status: 'active', dueAt: T0 + 3_600_000 }, 1);
      assert.ok(active);
      assert.deepEqual(await other.getRequest(request.id), active, 'reads roll forward past what it had seen');
      assert.equal(await other.updateRequest({ ...request, status: 'cancelled' }, 1), null, 'its stale view cannot win');
      assert.deepEqual(
        (await other.listRequestsByStatus(['active'], 10)).map((r) => [r.id, r.version]),
        [[request.id, 2]],
      );
      assert.deepEqual(await other.listRequestsByStatus(['pending'], 10), []);
      assert.deepEqual(await other.claimDue({ now: T0, owner: 'other', leaseMs: 1000, limit: 5 }), [], 'the old due time is gone');
      const [claimed] = await other.claimDue({ now: T0 + 3_600_000, owner: 'other', leaseMs: 1000, limit: 5 });
      assert.equal(claimed?.version, 3);
      assert.deepEqual(await store.getRequest(request.id), claimed);
    } finally {
      await other.close();
    }
  });

  it('brings requests stored by the first layout (one head updated in place) to the current one at connect', async function () {
    const legacyDb = `${dbName}_legacy`;
    const legacy = admin.db(legacyDb);
    const due = makeRequest({ dueAt: T0 });
    const changed = makeRequest({ dueAt: T0 + 1 });
    const idle = makeRequest({ dueAt: null, status: 'rejected' });
    const firstLayoutHead = (r: AccessRequest) => ({ _id: r.id, ...encodeDocument(r) });
    for (const r of [due, idle]) await legacy.collection(COLLECTIONS.requests).insertOne(firstLayoutHead(r) as never);
    // A request changed once under the first layout: head and revision at version 2.
    const changedV2 = { ...changed, version: 2, ticket: 'INC-v2' };
    await legacy.collection(COLLECTIONS.requests).insertOne(firstLayoutHead(changedV2) as never);
    await legacy
      .collection(COLLECTIONS.requestRevisions)
      .insertOne({ _id: revisionId(changed.id, 2), requestId: changed.id, version: 2, record: encodeDocument(changedV2) } as never);
    const upgraded = await MongoStore.connect(uri, legacyDb, { serverSelectionTimeoutMS: 5000 });
    try {
      assert.deepEqual(await upgraded.getRequest(changed.id), changedV2);
      assert.deepEqual(
        (await upgraded.listRequestsByStatus(['rejected'], 5)).map((r) => r.id),
        [idle.id],
      );
      const claimed = await upgraded.claimDue({ now: T0 + 1, owner: 'w', leaseMs: 1000, limit: 5 });
      assert.deepEqual(
        claimed.map((r) => [r.id, r.version, r.ticket]),
        [
          [due.id, 2, due.ticket],
          [changed.id, 3, 'INC-v2'],
        ],
      );
      await assert.rejects(upgraded.insertRequest({ ...changed, ticket: 'again' }), DuplicateKeyError, 'an old id stays taken');
      const again = await MongoStore.connect(uri, legacyDb, { serverSelectionTimeoutMS: 5000 });
      await again.close();
      assert.equal(await legacy.collection(COLLECTIONS.requestDue).countDocuments({ requestId: idle.id }), 0);
      assert.equal(
        await legacy.collection(COLLECTIONS.requestDue).countDocuments({ requestId: due.id, writer: '' }),
        1,
        'the upgrade ran once',
      );
    } finally {
      await upgraded.close();
      await legacy.dropDatabase();
    }
  });

  it('finds the end of the audit chain when the last marks are missing (their writer died right after the records)', async function () {
    assert.equal(await store.appendAuditBatch([1, 2, 3].map((seq) => makeAuditEvent(seq))), 3);
    const other = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000 });
    try {
      assert.equal(await other.appendAuditBatch([4, 5].map((seq) => makeAuditEvent(seq))), 2);
    } finally {
      await other.close();
    }
    await db.collection(COLLECTIONS.auditHeads).deleteMany({ _id: { $gt: 3 } as never });
    const fresh = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000 });
    try {
      assert.equal((await fresh.lastAudit())?.seq, 5);
      assert.ok(await db.collection(COLLECTIONS.auditHeads).findOne({ _id: 5 as never }), 'and marks it for the next reader');
      assert.equal((await store.lastAudit())?.seq, 5, 'an instance that saw seq 3 last finds 5 as well');
    } finally {
      await fresh.close();
    }
  });

  it('names the host but never the password when it cannot connect', async function () {
    const port = await closedPort();
    const started = Date.now();
    await assert.rejects(
      MongoStore.connect(`mongodb://custodian:Sup3r%24ecret@127.0.0.1:${port}/`, 'x', { serverSelectionTimeoutMS: 500 }),
      (err: Error) => {
        assert.ok(err instanceof StoreUnavailableError, String(err));
        assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
        assert.ok(!/Sup3r/.test(err.message) && !/%24ecret/.test(err.message), err.message);
        return true;
      },
    );
    assert.ok(Date.now() - started < 5000, 'fails quickly');
  });

  it('rejects an invalid database name with a clear message', async function () {
    await assert.rejects(MongoStore.connect(uri, 'bad.name'), /database name "bad\.name" is invalid/);
  });

  it('reports a network failure after connecting as StoreUnavailableError', async function () {
    const relay = await relayTo(uri);
    const viaRelay = await MongoStore.connect(relay.uri, dbName, { serverSelectionTimeoutMS: 500 });
    try {
      await viaRelay.ping();
      await relay.cut();
      await assert.rejects(viaRelay.getRequest('x'), StoreUnavailableError);
      await assert.rejects(viaRelay.ping(), StoreUnavailableError);
    } finally {
      await viaRelay.close();
    }
  });
});
