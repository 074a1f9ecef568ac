import { MongoClient } from 'mongodb';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { mongoUriOrSkip } from '../setup/mongo-server';
import { storeContract } from './contract';
import { raceContract } from './race-contract';

/** A database name unique to this run; each test gets its own, dropped afterwards. */
const RUN = `custodian_test_${Date.now().toString(36)}_${process.pid}`;

describe('MongoStore', function () {
  let uri: string;
  let admin: MongoClient;
  let n = 0;

  before(async function () {
    uri = await mongoUriOrSkip(this);
    admin = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  });

  after(async function () {
    await admin?.close();
  });

  storeContract('MongoStore', async () => {
    const dbName = `${RUN}_${++n}`;
    const store = await MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000 });
    return {
      store,
      async cleanup() {
        await store.close();
        await admin.db(dbName).dropDatabase();
      },
    };
  });

  raceContract('MongoStore (one client and connection pool each)', async (count) => {
    const dbName = `${RUN}_${++n}`;
    const connect = () => MongoStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000 });
    const setup = await connect();
    const clients = await Promise.all(Array.from({ length: count }, connect));
    return {
      setup,
      clients,
      async close() {
        await Promise.all([setup, ...clients].map((store) => store.close()));
        await admin.db(dbName).dropDatabase();
      },
    };
  });
});
