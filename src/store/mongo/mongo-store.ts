import { MongoClient, type Db } from 'mongodb';
import type { AccessRequest, AuditEvent } from '../../domain/types';
import {
  StoreUnavailableError,
  type AuditAnchor,
  type AuditQuery,
  type ClaimOptions,
  type ConversationRecord,
  type RecordQuery,
  type Store,
  type StoredRecord,
} from '../store';
import type { Logger } from '../../shared/logger';
import { requireClaimOptions, requireLimit, requireVersion } from '../arguments';
import { requireDatabaseName } from './database-name';
import type { PlanSummary } from './explain-plan';
import { decodeDocument, encodeDocument } from './key-encoding';
import { MongoAudit } from './mongo-audit';
import { collectionsOf, ensureIndexes, type MongoCollections } from './mongo-collections';
import { MongoCounters } from './mongo-counters';
import { translateMongoError } from './mongo-errors';
import { MongoRecords } from './mongo-records';
import { MongoRequests } from './mongo-requests';
import { upsertById } from './mongo-upsert';
import { mongoHosts, redactMongoUri, scrubPassword, uriSetsOption } from './mongo-uri';

export interface MongoConnectOptions {
  /** How long to look for a usable server before giving up (default: the URI's setting, else 10 s). */
  serverSelectionTimeoutMS?: number;
  logger?: Logger;
  /** Called with the name of every command sent (diagnostics and tests: what does a workload send?). */
  onCommand?: (commandName: string, collection?: string) => void;
}

/**
 * Store on MongoDB, Atlas or Cosmos DB for MongoDB (vCore and RU). It stays
 * inside what all of them support: single-document atomic writes (no
 * transactions), ordered bulk writes only, no arrays of arrays and no '.' or
 * leading '$' in free-form keys (see key-encoding.ts). Every change of a
 * request or record is one conditional write on {_id, version}.
 */
export class MongoStore implements Store {
  readonly kind = 'mongodb';

  private readonly requests: MongoRequests;
  private readonly counters: MongoCounters;
  private readonly audit: MongoAudit;
  private readonly records: MongoRecords;

  private constructor(
    private readonly client: MongoClient,
    private readonly collections: MongoCollections,
    /** Hosts only, for messages. */
    private readonly where: string,
  ) {
    this.requests = new MongoRequests(collections.requests);
    this.counters = new MongoCounters(collections.counters);
    this.audit = new MongoAudit(collections.audit, collections.meta);
    this.records = new MongoRecords(collections.records);
  }

  /** Connects, checks the server answers, and creates the indexes. Fails with StoreUnavailableError. */
  static async connect(uri: string, dbName: string, options: MongoConnectOptions = {}): Promise<MongoStore> {
    requireDatabaseName(dbName);
    const where = mongoHosts(uri);
    const selectionTimeout = options.serverSelectionTimeoutMS ?? (uriSetsOption(uri, 'serverSelectionTimeoutMS') ? undefined : 10_000);
    let client: MongoClient;
    try {
      client = new MongoClient(uri, {
        ...(selectionTimeout !== undefined ? { serverSelectionTimeoutMS: selectionTimeout } : {}),
        // Absent optional fields must stay absent, not come back as null.
        ignoreUndefined: true,
        appName: 'custodian',
        monitorCommands: options.onCommand !== undefined,
      });
      if (options.onCommand) {
        const onCommand = options.onCommand;
        client.on('commandStarted', (event) => {
          const target: unknown = event.command[event.commandName];
          onCommand(event.commandName, typeof target === 'string' ? target : undefined);
        });
      }
    } catch (err) {
      throw new StoreUnavailableError(`MongoDB URI ${redactMongoUri(uri)} is invalid: ${scrubPassword((err as Error).message, uri)}`);
    }
    let db: Db;
    try {
      await client.connect();
      db = client.db(dbName);
      await db.command({ ping: 1 });
      await ensureIndexes(db);
    } catch (err) {
      await client.close().catch(() => undefined);
      const reason = scrubPassword(err instanceof Error ? err.message : String(err), uri);
      throw new StoreUnavailableError(`Cannot use MongoDB at ${where} (database ${dbName}): ${reason}`, err);
    }
    options.logger?.debug({ hosts: where, db: dbName }, 'MongoDB store ready');
    return new MongoStore(client, collectionsOf(db), where);
  }

  private async run<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw translateMongoError(err, what, this.where);
    }
  }

  nextSequence(name: string): Promise<number> {
    return this.run(`nextSequence(${name})`, () => this.counters.next(name));
  }

  insertRequest(request: AccessRequest): Promise<void> {
    return this.run(`insertRequest(${request.id})`, () => this.requests.insert(request));
  }

  getRequest(id: string): Promise<AccessRequest | null> {
    return this.run(`getRequest(${id})`, () => this.requests.get(id));
  }

  updateRequest(next: AccessRequest, expectedVersion: number): Promise<AccessRequest | null> {
    return this.run(`updateRequest(${next.id})`, async () => this.requests.update(next, requireVersion(expectedVersion, 'updateRequest')));
  }

  listRequestsByRequester(aadObjectId: string, limit: number): Promise<AccessRequest[]> {
    return this.run('listRequestsByRequester', () => this.requests.listByRequester(aadObjectId, requireLimit(limit)));
  }

  listRequestsByStatus(statuses: string[], limit: number): Promise<AccessRequest[]> {
    return this.run('listRequestsByStatus', () => this.requests.listByStatus(statuses, requireLimit(limit)));
  }

  claimDue(options: ClaimOptions): Promise<AccessRequest[]> {
    return this.run('claimDue', async () => {
      requireClaimOptions(options);
      return this.requests.claimDue(options);
    });
  }

  /** How the server plans the claimDue query (index or full scan). */
  explainDueQuery(now: number = Date.now(), limit = 10): Promise<PlanSummary> {
    return this.run('explainDueQuery', () => this.requests.explainDueQuery(now, now, limit));
  }

  insertRecord(record: Omit<StoredRecord, 'version'>): Promise<StoredRecord> {
    return this.run(`insertRecord(${record.kind} ${record.id})`, () => this.records.insert(record));
  }

  getRecord(kind: string, id: string): Promise<StoredRecord | null> {
    return this.run(`getRecord(${kind} ${id})`, () => this.records.get(kind, id));
  }

  updateRecord(
    kind: string,
    id: string,
    expectedVersion: number,
    next: Pick<StoredRecord, 'status' | 'body'>,
  ): Promise<StoredRecord | null> {
    return this.run(`updateRecord(${kind} ${id})`, () => this.records.update(kind, id, expectedVersion, next));
  }

  listRecords(kind: string, query: RecordQuery): Promise<StoredRecord[]> {
    return this.run(`listRecords(${kind})`, () => this.records.list(kind, query));
  }

  putConversation(record: ConversationRecord): Promise<void> {
    return this.run(`putConversation(${record.key})`, () => upsertById(this.collections.conversations, record.key, encodeDocument(record)));
  }

  getConversation(key: string): Promise<ConversationRecord | null> {
    return this.run(`getConversation(${key})`, async () => {
      const doc = await this.collections.conversations.findOne({ _id: key as never });
      if (!doc) return null;
      const { _id, ...rest } = doc;
      return decodeDocument<ConversationRecord>(rest);
    });
  }

  appendAudit(event: AuditEvent): Promise<void> {
    return this.run(`appendAudit(seq ${event.seq})`, () => this.audit.append(event));
  }

  appendAuditBatch(events: AuditEvent[]): Promise<number> {
    return this.run(`appendAuditBatch(${events.length} records)`, () => this.audit.appendBatch(events));
  }

  lastAudit(): Promise<AuditEvent | null> {
    return this.run('lastAudit', () => this.audit.last());
  }

  listAudit(query: AuditQuery): Promise<AuditEvent[]> {
    return this.run('listAudit', async () => {
      if (query.limit !== undefined) requireLimit(query.limit, 'listAudit: limit');
      return this.audit.list(query);
    });
  }

  deleteAuditThrough(throughSeq: number): Promise<number> {
    return this.run('deleteAuditThrough', () => this.audit.deleteThrough(throughSeq));
  }

  getAuditAnchor(): Promise<AuditAnchor | null> {
    return this.run('getAuditAnchor', () => this.audit.getAnchor());
  }

  setAuditAnchor(anchor: AuditAnchor): Promise<void> {
    return this.run('setAuditAnchor', () => this.audit.setAnchor(anchor));
  }

  ping(): Promise<void> {
    return this.run('ping', async () => {
      await this.collections.requests.db.command({ ping: 1 });
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
