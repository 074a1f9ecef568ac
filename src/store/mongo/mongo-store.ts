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
import { ReadBatcher } from './read-batcher';
import { upgradeRequestLayout } from './request-layout';
import { upsertById } from './mongo-upsert';
import { mongoHosts, redactMongoUri, scrubPassword, uriSetsOption } from './mongo-uri';

export interface MongoConnectOptions {
  /** How long to look for a usable server before giving up (default: the URI's setting, else 10 s). */
  serverSelectionTimeoutMS?: number;
  /** Where failures of background work (removing superseded documents) are reported. */
  logger?: Logger;
  /** How long a request document without its revision may belong to a writer still at work (default 10 minutes). */
  orphanAfterMs?: number;
  /** Called with the name of every command sent (diagnostics and tests: what does a workload send?). */
  onCommand?: (commandName: string) => void;
}

/**
 * Store on any MongoDB-wire server: MongoDB, Atlas, Cosmos DB for MongoDB,
 * FerretDB 1.x. It stays inside what all of them support: no transactions,
 * no arrays of arrays, no '.' or leading '$' in keys (see key-encoding.ts),
 * and every decision is a single insert on a unique _id (see mongo-requests.ts).
 * Changes to requests are inserts only.
 */
export class MongoStore implements Store {
  readonly kind = 'mongodb';

  private readonly requests: MongoRequests;
  private readonly counters: MongoCounters;
  private readonly audit: MongoAudit;
  private readonly records: MongoRecords;
  private readonly conversationReads: ReadBatcher;

  private constructor(
    private readonly client: MongoClient,
    private readonly collections: MongoCollections,
    /** Hosts only, for messages. */
    private readonly where: string,
    logger?: Logger,
    orphanAfterMs?: number,
  ) {
    this.requests = new MongoRequests(
      {
        heads: collections.requests,
        revisions: collections.requestRevisions,
        dueEntries: collections.requestDue,
        dueEntriesLater: collections.requestDueLater,
      },
      {
        orphanAfterMs,
        onBackgroundError: (error, what) =>
          logger?.warn(
            { err: translateMongoError(error, what, where) },
            `${what} failed; tried again later (readers skip superseded documents)`,
          ),
      },
    );
    this.counters = new MongoCounters(collections.counters, collections.counterValues);
    this.audit = new MongoAudit(collections.audit, collections.meta, collections.auditHeads);
    this.records = new MongoRecords(collections.records, collections.recordRevisions);
    this.conversationReads = new ReadBatcher(collections.conversations);
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
        client.on('commandStarted', (event) => onCommand(event.commandName));
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
      const upgraded = await upgradeRequestLayout(collectionsOf(db));
      if (upgraded > 0) options.logger?.info({ requests: upgraded }, 'MongoDB requests brought to the current layout');
    } catch (err) {
      await client.close().catch(() => undefined);
      const reason = scrubPassword(err instanceof Error ? err.message : String(err), uri);
      throw new StoreUnavailableError(`Cannot use MongoDB at ${where} (database ${dbName}): ${reason}`, err);
    }
    return new MongoStore(client, collectionsOf(db), where, options.logger, options.orphanAfterMs);
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
      // Many notices at once ask for the same few conversations: one read serves them all.
      const doc = await this.conversationReads.get(key);
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
    await this.requests.close().catch(() => undefined);
    await this.client.close();
  }
}
