import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { openStore } from '../../src/store/open-store';
import { StoreUnavailableError } from '../../src/store/store';
import { mongoUriOrSkip } from '../setup/mongo-server';

describe('store/open-store', function () {
  it('opens SQLite at <dataDir>/custodian.sqlite when no MongoDB URI is set', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-open-'));
    try {
      const store = await openStore({ mongodbUri: '', mongodbDb: 'custodian', dataDir: path.join(dir, 'data') });
      assert.equal(store.kind, 'sqlite');
      await store.ping();
      await store.close();
      assert.ok(fs.existsSync(path.join(dir, 'data', 'custodian.sqlite')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with StoreUnavailableError, without the password, when MongoDB is unreachable', async function () {
    this.timeout(20_000);
    await assert.rejects(
      openStore({
        mongodbUri: 'mongodb://app:topsecret@127.0.0.1:1/?serverSelectionTimeoutMS=300',
        mongodbDb: 'custodian',
        dataDir: '/nonexistent',
      }),
      (err: Error) => err instanceof StoreUnavailableError && err.message.includes('127.0.0.1:1') && !err.message.includes('topsecret'),
    );
  });

  describe('with a MongoDB URI', function () {
    let uri: string;
    before(async function () {
      uri = await mongoUriOrSkip(this);
    });

    it('opens the MongoDB store', async function () {
      const dbName = `custodian_open_${process.pid}`;
      const store = await openStore({ mongodbUri: uri, mongodbDb: dbName, dataDir: '/nonexistent' });
      try {
        assert.equal(store.kind, 'mongodb');
        await store.ping();
      } finally {
        await store.close();
        const admin = await MongoClient.connect(uri);
        await admin.db(dbName).dropDatabase();
        await admin.close();
      }
    });
  });
});
