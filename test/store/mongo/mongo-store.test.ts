import assert from 'node:assert/strict';
import net from 'node:net';
import { MongoClient, type Db, type Document } from 'mongodb';
import { COLLECTIONS, DUE_INDEX } from '../../../src/store/mongo/mongo-collections';
import { headDocument, revisionDocument, revisionId } from '../../../src/store/mongo/request-documents';
import { MongoStore } from '../../../src/store/mongo/mongo-store';
import { StoreUnavailableError } from '../../../src/store/store';
import { mongoUriOrSkip } from '../../setup/mongo-server';
import { T0, makeRequest } from '../fixtures';

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

  it('keeps request documents readable by operators: _id is the request id, fields as in the record', async function () {
    const request = makeRequest();
    await store.insertRequest(request);
    const raw = await db.collection(COLLECTIONS.requests).findOne({ _id: request.id as never });
    assert.equal(raw?.status, 'pending');
    assert.equal(raw?.requester.aadObjectId, request.requester.aadObjectId);
  });

  it('recovers a change whose head write was lost (crash between the two writes)', async function () {
    const request = makeRequest({ dueAt: T0 });
    await store.insertRequest(request);
    // What another instance that died after deciding, before updating the head, leaves behind.
    const decided = { ...request, version: 2, status: 'cancelled', dueAt: null };
    await db.collection(COLLECTIONS.requestRevisions).insertOne({ _id: revisionId(request.id, 2) as never, requestId: request.id, version: 2, record: decided });

    assert.deepEqual(await store.claimDue({ now: T0, owner: 'w', leaseMs: 1000, limit: 5 }), [], 'the due entry of the old version must not be claimed');
    assert.equal(await store.updateRequest({ ...request, status: 'rejected' }, 1), null, 'the lost change still wins');
    assert.deepEqual(await store.getRequest(request.id), decided);
    assert.deepEqual(await store.listRequestsByStatus(['pending'], 10), [], 'a list rolls the stale head forward');
    assert.deepEqual(await store.listRequestsByStatus(['cancelled', 'pending'], 10), [decided]);
    await store.flushHeads();
    const head = await db.collection(COLLECTIONS.requests).findOne({ _id: request.id as never });
    assert.equal(head?.version, 2, 'the head was caught up');
    assert.equal(head?.status, 'cancelled');
  });

  it('lets a second instance see a change at once, and its lists once the first has written the head', async function () {
    const other = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000 });
    try {
      const request = makeRequest({ dueAt: T0 });
      await store.insertRequest(request);
      assert.deepEqual(await other.getRequest(request.id), request);
      const active = await store.updateRequest({ ...request, status: 'active', dueAt: T0 + 3_600_000 }, 1);
      assert.ok(active);
      assert.deepEqual(await other.getRequest(request.id), active, 'reads roll forward past what it had seen');
      assert.equal(await other.updateRequest({ ...request, status: 'cancelled' }, 1), null, 'its stale view cannot win');
      assert.deepEqual(await other.claimDue({ now: T0, owner: 'other', leaseMs: 1000, limit: 5 }), [], 'the old due time is gone');
      const [claimed] = await other.claimDue({ now: T0 + 3_600_000, owner: 'other', leaseMs: 1000, limit: 5 });
      assert.equal(claimed?.version, 3);
      await store.flushHeads();
      assert.deepEqual((await other.listRequestsByStatus(['active'], 10)).map((r) => [r.id, r.version]), [[request.id, 3]]);
    } finally {
      await other.close();
    }
  });

  it('ignores a due entry whose revision never came (its writer died before deciding)', async function () {
    const request = makeRequest({ dueAt: T0 });
    await store.insertRequest(request);
    await db.collection(COLLECTIONS.requestDue).insertOne({ _id: `${revisionId(request.id, 2)}#dead` as never, requestId: request.id, version: 2, dueAt: T0 - 1, leaseUntil: null, writtenAt: Date.now() });
    const claimed = await store.claimDue({ now: T0, owner: 'w', leaseMs: 1000, limit: 5 });
    assert.deepEqual(claimed.map((r) => [r.id, r.version]), [[request.id, 2]], 'the real version 1 is claimed, as version 2');
    assert.equal((await store.getRequest(request.id))?.leaseOwner, 'w');
  });

  it('brings requests stored by the first layout (heads only) to the current one at connect', async function () {
    const legacyDb = `${dbName}_legacy`;
    const legacy = admin.db(legacyDb);
    const due = makeRequest({ dueAt: T0 });
    const changed = makeRequest({ dueAt: T0 + 1 });
    const idle = makeRequest({ dueAt: null });
    for (const r of [due, idle]) await legacy.collection(COLLECTIONS.requests).insertOne(headDocument(r));
    // A request changed once under the old layout: head and revision at version 2.
    const changedV2 = { ...changed, version: 2, ticket: 'INC-v2' };
    await legacy.collection(COLLECTIONS.requests).insertOne(headDocument(changedV2));
    await legacy.collection(COLLECTIONS.requestRevisions).insertOne(revisionDocument(changedV2));
    const upgraded = await MongoStore.connect(uri, legacyDb, { serverSelectionTimeoutMS: 5000 });
    try {
      const claimed = await upgraded.claimDue({ now: T0 + 1, owner: 'w', leaseMs: 1000, limit: 5 });
      assert.deepEqual(
        claimed.map((r) => [r.id, r.version, r.ticket]),
        [
          [due.id, 2, due.ticket],
          [changed.id, 3, 'INC-v2'],
        ],
      );
      assert.equal(await legacy.collection(COLLECTIONS.requestDue).countDocuments({ requestId: idle.id }), 0);
      assert.ok(await legacy.collection(COLLECTIONS.requestRevisions).findOne({ _id: revisionId(idle.id, 1) as never }));
      const again = await MongoStore.connect(uri, legacyDb, { serverSelectionTimeoutMS: 5000 });
      await again.close();
      assert.equal(await legacy.collection(COLLECTIONS.requestDue).countDocuments({ requestId: due.id }), 2, 'only once: the claim added one entry, no second upgrade added more');
    } finally {
      await upgraded.close();
      await legacy.dropDatabase();
    }
  });

  it('names the host but never the password when it cannot connect', async function () {
    const port = await closedPort();
    const started = Date.now();
    await assert.rejects(MongoStore.connect(`mongodb://custodian:Sup3r%24ecret@127.0.0.1:${port}/`, 'x', { serverSelectionTimeoutMS: 500 }), (err: Error) => {
      assert.ok(err instanceof StoreUnavailableError, String(err));
      assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.ok(!/Sup3r/.test(err.message) && !/%24ecret/.test(err.message), err.message);
      return true;
    });
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
