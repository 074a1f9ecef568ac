import assert from 'node:assert/strict';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { DeleteQueue } from '../../../src/store/mongo/delete-queue';
import { InsertBatcher } from '../../../src/store/mongo/insert-batcher';
import { ReadBatcher } from '../../../src/store/mongo/read-batcher';
import { mongoUriOrSkip } from '../../setup/mongo-server';

const RUN = `custodian_batch_${Date.now().toString(36)}_${process.pid}`;

describe('MongoDB batching (against a real MongoDB-wire server)', function () {
  let client: MongoClient;
  let commands: { name: string; collection: unknown; size?: number }[] = [];
  let n = 0;
  let collection: Collection<Document>;

  before(async function () {
    const uri = await mongoUriOrSkip(this);
    client = await MongoClient.connect(uri, { monitorCommands: true });
    client.on('commandStarted', (event) => {
      const command = event.command as Document;
      commands.push({
        name: event.commandName,
        collection: command[event.commandName],
        size: (command.documents as unknown[] | undefined)?.length,
      });
    });
  });

  after(async function () {
    await client
      ?.db(RUN)
      .dropDatabase()
      .catch(() => undefined);
    await client?.close();
  });

  beforeEach(async function () {
    collection = client.db(RUN).collection(`c${++n}`);
    await collection.insertOne({ _id: 'taken' as never, v: 0 });
    commands = [];
  });

  const sent = (name: string) => commands.filter((command) => command.name === name && command.collection === collection.collectionName);

  it('inserts what callers of the same moment ask for in one write, each learning its own outcome', async () => {
    const batcher = new InsertBatcher(collection);
    const outcomes = await Promise.all([
      batcher.insert({ _id: 'a', v: 1 }),
      batcher.insert({ _id: 'taken', v: 2 }),
      batcher.insert({ _id: 'b', v: 3 }),
    ]);
    assert.deepEqual(outcomes, ['inserted', 'duplicate', 'inserted']);
    assert.deepEqual(
      sent('insert').map((command) => command.size),
      [3],
    );
    assert.deepEqual(
      (await collection.find({}).sort({ _id: 1 }).toArray()).map((doc) => [doc._id, doc.v]),
      [
        ['a', 1],
        ['b', 3],
        ['taken', 0],
      ],
    );
  });

  it('sends what arrives during a write in the next one, and fails only the callers whose document failed', async () => {
    const batcher = new InsertBatcher(collection);
    const first = batcher.insert({ _id: 'c1' });
    await new Promise((resolve) => setImmediate(resolve));
    const later = [batcher.insert({ _id: 'c2' }), batcher.insert({ _id: 'c3', $bad: 1 }), batcher.insert({ _id: 'c4' })];
    const settled = await Promise.allSettled([first, ...later]);
    assert.deepEqual(
      settled.map((result) => result.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(
      sent('insert').map((command) => command.size),
      [1, 3],
    );
    assert.deepEqual(
      (await collection.find({ _id: { $in: ['c1', 'c2', 'c3', 'c4'] as never[] } }).toArray()).map((doc) => doc._id).sort(),
      ['c1', 'c2', 'c4'],
    );
  });

  it('reads by _id together: one query for many lookups, each caller getting its document or null', async () => {
    await collection.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: `r${i}` as never, v: i })));
    commands = [];
    const reader = new ReadBatcher(collection);
    const ids = [...Array.from({ length: 12 }, (_, i) => `r${i}`), 'r3', 'missing'];
    const docs = await Promise.all(ids.map((id) => reader.get(id)));
    assert.deepEqual(
      docs.map((doc) => doc?.v ?? null),
      [...Array.from({ length: 12 }, (_, i) => i), 3, null],
    );
    assert.equal(sent('find').length, 1, 'one $in query');
  });

  it('reads a few lookups one by one (cheaper than a query for many on servers that scan)', async () => {
    const reader = new ReadBatcher(collection);
    const docs = await Promise.all(['taken', 'nothing'].map((id) => reader.get(id)));
    assert.deepEqual(
      docs.map((doc) => doc?._id ?? null),
      ['taken', null],
    );
    assert.equal(sent('find').length, 2);
  });

  it('removes queued documents in one delete: at once when forced, otherwise only when the instance is quiet', async () => {
    await collection.insertMany(['d1', 'd2', 'd3'].map((id) => ({ _id: id as never })));
    let quiet = false;
    const queue = new DeleteQueue(collection, () => quiet);
    queue.add('d1');
    queue.add('d2');
    await queue.flush();
    assert.equal(
      await collection.countDocuments({ _id: { $in: ['d1', 'd2'] as never[] } }),
      2,
      'busy, and the last removal was just now: nothing yet',
    );
    await queue.flush(true);
    assert.equal(await collection.countDocuments({ _id: { $in: ['d1', 'd2'] as never[] } }), 0);
    assert.equal(sent('delete').length, 1);
    quiet = true;
    queue.add('d3');
    await queue.flush();
    assert.equal(await collection.countDocuments({ _id: 'd3' as never }), 1, 'quiet, but removed less than 30 s ago');
    assert.equal(queue.size, 1);
  });
});
