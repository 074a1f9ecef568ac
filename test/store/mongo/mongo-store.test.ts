import assert from 'node:assert/strict';
import net from 'node:net';
import { MongoClient, type Db, type Document } from 'mongodb';
import { COLLECTIONS, DUE_INDEX } from '../../../src/store/mongo/mongo-collections';
import { MongoRequests } from '../../../src/store/mongo/mongo-requests';
import { MongoStore } from '../../../src/store/mongo/mongo-store';
import { DuplicateKeyError, StoreUnavailableError } from '../../../src/store/store';
import { isMongoJavaServer, mongoUriOrSkip } from '../../setup/mongo-server';
import { TcpRelay } from '../../setup/tcp-relay';
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

  it('creates the indexes at start-up, the due index among them', async function () {
    const names = (await db.collection(COLLECTIONS.requests).listIndexes().toArray()).map((index) => index.name as string);
    for (const name of [DUE_INDEX, 'by_claim', 'by_requester', 'by_status'])
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  });

  it('reads the claim candidates through the due index (real MongoDB only: mongo-java-server has no query planner)', async function () {
    if (await isMongoJavaServer(uri)) {
      console.warn('      NOT RUN: the index-use check needs a real MongoDB (MONGODB_URI); mongo-java-server has no explain');
      this.skip();
    }
    for (let i = 0; i < 50; i++) await store.insertRequest(makeRequest({ dueAt: i % 2 === 0 ? T0 + i : null }));
    const plan = await store.explainDueQuery(T0 + 100, 10);
    assert.equal(plan.usesIndex, true, `expected an index scan, got ${plan.detail}`);
    assert.equal(plan.indexName, DUE_INDEX);
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

  it('keeps one document per request, searchable by id, status, requester, mailbox and ticket', async function () {
    const request = makeRequest({ mailbox: { upn: 'Alex@Contoso.example' } });
    await store.insertRequest(request);
    const raw = await db.collection(COLLECTIONS.requests).findOne({
      _id: request.id as never,
      status: 'pending',
      requesterId: request.requester.aadObjectId,
      mailbox: 'alex@contoso.example',
      ticket: request.ticket,
    });
    assert.ok(raw, 'found by the plain fields');
    assert.deepEqual(JSON.parse(raw.record as string), request, 'with the whole record as JSON');
  });

  it('changes a request in place: a claim and two updates leave one document, each step one conditional write', async function () {
    const commands: string[] = [];
    const watched = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000, onCommand: (name) => commands.push(name) });
    try {
      const request = makeRequest({ dueAt: T0 });
      commands.length = 0;
      await watched.insertRequest(request);
      const [claimed] = await watched.claimDue({ now: T0, owner: 'w', leaseMs: 1000, limit: 1 });
      const active = await watched.updateRequest({ ...claimed, status: 'active', dueAt: T0 + 60_000 }, claimed.version);
      const done = await watched.updateRequest({ ...active!, status: 'cancelled', dueAt: null }, active!.version);
      assert.equal(done?.version, 4);
      assert.equal(await db.collection(COLLECTIONS.requests).countDocuments({}), 1);
      // The claim: its candidates and one lease update; what it leased is not read again when it got them all.
      assert.deepEqual(commands, ['insert', 'find', 'update', 'update', 'update']);
    } finally {
      await watched.close();
    }
  });

  it('never leases from a stale candidate: a change between the candidate read and the lease is kept and claimed as changed', async function () {
    const request = makeRequest({ dueAt: T0 });
    await store.insertRequest(request);
    const collection = db.collection(COLLECTIONS.requests);
    let raced = false;
    // The first lease command finds the request one version on, changed by another writer.
    const racing = new Proxy(collection, {
      get(target, property) {
        if (property === 'bulkWrite' && !raced)
          return async (...args: Parameters<typeof collection.bulkWrite>) => {
            raced = true;
            assert.ok(await store.updateRequest({ ...request, ticket: 'CHANGED-MEANWHILE' }, request.version));
            return target.bulkWrite(...args);
          };
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const claimed = await new MongoRequests(racing).claimDue({ now: T0, owner: 'w', leaseMs: 1000, limit: 1 });
    assert.ok(raced);
    assert.deepEqual(
      claimed.map((r) => [r.ticket, r.version, r.leaseOwner]),
      [['CHANGED-MEANWHILE', 3, 'w']],
    );
    assert.deepEqual(await store.getRequest(request.id), claimed[0]);
  });

  it('lets a second instance see a change at once, in reads, lists and claims', async function () {
    const other = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000 });
    try {
      const request = makeRequest({ dueAt: T0 });
      await store.insertRequest(request);
      assert.deepEqual(await other.getRequest(request.id), request);
      const active = await store.updateRequest({ ...request, status: 'active', dueAt: T0 + 3_600_000 }, 1);
      assert.ok(active);
      assert.deepEqual(await other.getRequest(request.id), active);
      assert.equal(await other.updateRequest({ ...request, status: 'cancelled' }, 1), null, 'its stale view cannot win');
      assert.deepEqual(
        (await other.listRequestsByStatus(['active'], 10)).map((r) => [r.id, r.version]),
        [[request.id, 2]],
      );
      assert.deepEqual(await other.claimDue({ now: T0, owner: 'other', leaseMs: 1000, limit: 5 }), [], 'the old due time is gone');
      const [claimed] = await other.claimDue({ now: T0 + 3_600_000, owner: 'other', leaseMs: 1000, limit: 5 });
      assert.equal(claimed?.version, 3);
      assert.deepEqual(await store.getRequest(request.id), claimed);
    } finally {
      await other.close();
    }
  });

  describe('when the reply to a write is lost (the server applied it)', function () {
    let relay: TcpRelay;
    let viaRelay: MongoStore;

    beforeEach(async function () {
      relay = await TcpRelay.start(uri);
      viaRelay = await MongoStore.connect(relay.uri, dbName, { serverSelectionTimeoutMS: 2000 });
    });

    afterEach(async function () {
      await viaRelay?.close();
      await relay?.cut();
    });

    it('settles an insert and an update by reading back the writer token', async function () {
      const request = makeRequest({ dueAt: T0 });
      relay.loseReplyTo(request.id);
      await viaRelay.insertRequest(request);
      assert.deepEqual(await store.getRequest(request.id), request);
      await assert.rejects(viaRelay.insertRequest(request), DuplicateKeyError, 'the settled insert is not repeated as if new');
      relay.loseReplyTo(request.id);
      const stored = await viaRelay.updateRequest({ ...request, status: 'active' }, 1);
      assert.equal(stored?.version, 2, 'the update that was applied counts as won');
      relay.loseReplyTo(request.id);
      assert.equal(await viaRelay.updateRequest({ ...request, status: 'rejected' }, 1), null, 'one that did not apply counts as lost');
      assert.equal((await store.getRequest(request.id))?.status, 'active');
    });

    it('settles a claim by finding its claim token, and an audit append by its hash', async function () {
      const request = makeRequest({ dueAt: T0 });
      await store.insertRequest(request);
      relay.loseReplyTo('leaseOwner');
      const claimed = await viaRelay.claimDue({ now: T0, owner: 'lost-reply', leaseMs: 60_000, limit: 5 });
      assert.deepEqual(
        claimed.map((r) => [r.id, r.leaseOwner]),
        [[request.id, 'lost-reply']],
      );
      const event = makeAuditEvent(1, { hash: 'unique-hash-1' });
      relay.loseReplyTo('unique-hash-1');
      await viaRelay.appendAudit(event);
      assert.deepEqual(await store.listAudit({}), [event]);
    });
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
    const relay = await TcpRelay.start(uri);
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
