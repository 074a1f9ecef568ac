import { randomBytes } from 'node:crypto';
import { MongoClient, type Collection, type Document } from 'mongodb';
import type { AuditEvent } from '../../../src/domain/types';
import { COLLECTIONS } from '../../../src/store/mongo/mongo-collections';
import { MongoStore } from '../../../src/store/mongo/mongo-store';
import { mongoUriOrSkip } from '../../setup/mongo-server';
import type { Backend, RawAudit } from './backend';

/** Reads and rewrites audit documents with the driver, as someone with database access could. */
class MongoRawAudit implements RawAudit {
  constructor(
    private readonly client: MongoClient,
    private readonly audit: Collection<Document>,
  ) {}

  async get(position: number): Promise<AuditEvent> {
    const doc = await this.audit.findOne({ _id: position as never });
    if (!doc) throw new Error(`no audit document at ${position}`);
    const { _id, _search, ...event } = doc;
    return event as unknown as AuditEvent;
  }

  async put(position: number, event: AuditEvent): Promise<void> {
    const search: Document = { subjects: [event.actor.aadObjectId] };
    if (event.mailbox !== undefined) search.mailbox = event.mailbox.toLowerCase();
    await this.audit.replaceOne({ _id: position as never }, { ...event, _search: search }, { upsert: true });
  }

  async remove(position: number): Promise<void> {
    await this.audit.deleteOne({ _id: position as never });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export function mongoBackend(): Backend {
  let uri: string | undefined;
  return {
    name: 'MongoDB',
    async setUp(ctx) {
      uri = await mongoUriOrSkip(ctx);
    },
    async open() {
      if (!uri) throw new Error('setUp must run first');
      const dbName = `audit_test_${randomBytes(6).toString('hex')}`;
      const store = await MongoStore.connect(uri, dbName);
      const client = await MongoClient.connect(uri);
      const raw = new MongoRawAudit(client, client.db(dbName).collection(COLLECTIONS.audit));
      const others: MongoStore[] = [];
      return {
        store,
        raw,
        async connectAgain() {
          const other = await MongoStore.connect(uri as string, dbName);
          others.push(other);
          return other;
        },
        async cleanup() {
          await client.db(dbName).dropDatabase();
          await raw.close();
          for (const other of others) await other.close();
          await store.close();
        },
      };
    },
  };
}
