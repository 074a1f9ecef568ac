import type { Collection, Document } from 'mongodb';
import type { AccessRequest } from '../../domain/types';
import { mapLimit } from '../../shared/map-limit';
import { DuplicateKeyError, type ClaimOptions } from '../store';
import { DueEntries } from './due-entries';
import type { PlanSummary } from './explain-plan';
import { HeadWriter, type HeadWriterOptions } from './head-writer';
import { InsertBatcher } from './insert-batcher';
import { LatestRecords } from './latest-records';
import { entryMatches, fromHead, fromRevision, headDocument, revisionDocument, revisionId, type DueEntry } from './request-documents';

// How a request change is stored, on the subset MongoDB, Cosmos DB and
// FerretDB 1.x share:
//
// - Deciding. FerretDB 1.x runs a conditional update as "read, filter in the
//   gateway, write back by _id" without a lock, so two writers that read the
//   same version both win (measured: up to 17 of 20 concurrent conditional
//   updates succeeded). Inserting a document with a unique _id is atomic
//   everywhere, so each change is decided by inserting the revision
//   "<id>@<version>": exactly one writer can. Revisions are the truth.
// - Scheduling. Every version with a due time gets a small due entry, written
//   just before its revision, so no version that is due can lack one (an
//   entry whose revision never came is ignored). The claim query reads the
//   entries, never the heads; a superseded entry is recognised by its
//   revision and removed in bulk later.
// - Querying. The head (`requests`, _id = request id) is the copy lists read.
//   It is written after the change is decided and may lag: readers roll it
//   forward from the revisions, and the head writer catches it up in the
//   background. On FerretDB 1.x (SQLite) an update by _id scans the whole
//   collection while inserts and reads by _id do not, which is why the
//   changes themselves are inserts only.

/** Longest revision chain followed in one roll-forward; far beyond any real backlog. */
const MAX_ROLL_FORWARD = 1000;
/** Rounds of "find due entries, try to claim them" within one claimDue call. */
const MAX_CLAIM_ROUNDS = 50;
/** Reads by _id in flight at once for one call (claims, lists). */
const READ_CONCURRENCY = 16;
/** An entry whose revision is still missing this long after it was written belongs to a writer that died. */
const ORPHAN_AFTER_MS = 10 * 60_000;

export interface RequestCollections {
  heads: Collection<Document>;
  revisions: Collection<Document>;
  dueEntries: Collection<Document>;
}

export interface MongoRequestsOptions {
  /** Failures of background work (head writes), which callers never see. */
  onBackgroundError?: (error: unknown, what: string) => void;
  heads?: HeadWriterOptions;
}

/** Everything of a request except its version and lease, to tell a lease-only change. */
function withoutLeaseAndVersion(request: AccessRequest): string {
  const { version: _version, leaseOwner: _owner, leaseUntil: _until, ...rest } = request;
  return JSON.stringify(rest);
}

export class MongoRequests {
  private readonly latest = new LatestRecords();
  private readonly revisionInserts: InsertBatcher;
  private readonly headInserts: InsertBatcher;
  private readonly entries: DueEntries;
  private readonly headWriter: HeadWriter;

  constructor(
    private readonly collections: RequestCollections,
    options: MongoRequestsOptions = {},
  ) {
    this.revisionInserts = new InsertBatcher(collections.revisions);
    this.headInserts = new InsertBatcher(collections.heads);
    this.entries = new DueEntries(collections.dueEntries, new InsertBatcher(collections.dueEntries));
    const onError = options.onBackgroundError ?? (() => undefined);
    this.headWriter = new HeadWriter((record) => this.writeHead(record), (error, record) => onError(error, `head write of ${record.id} v${record.version}`), options.heads);
  }

  async insert(request: AccessRequest): Promise<void> {
    this.headWriter.noteActivity();
    const entryId = request.dueAt !== null ? await this.entries.add(request) : undefined;
    if ((await this.revisionInserts.insert(revisionDocument(request))) === 'duplicate') {
      if (entryId) this.entries.markStale(entryId);
      throw new DuplicateKeyError(`request ${request.id} already exists`);
    }
    if ((await this.headInserts.insert(headDocument(request))) === 'duplicate') {
      // Only a request stored before revisions started at version 1 gets here; its own revisions start later.
      if (entryId) this.entries.markStale(entryId);
      throw new DuplicateKeyError(`request ${request.id} already exists`);
    }
    this.latest.remember(request);
  }

  async get(id: string): Promise<AccessRequest | null> {
    const known = this.latest.get(id);
    if (known) return this.rollForward(known);
    const head = await this.collections.heads.findOne({ _id: id as never });
    if (head) return this.currentOfHead(head);
    // No head: an insert that stopped between its revision and its head, or no such request.
    const first = await this.collections.revisions.findOne({ _id: revisionId(id, 1) as never });
    if (!first) return null;
    const current = await this.rollForward(fromRevision(first));
    this.headWriter.schedule(current);
    return current;
  }

  async update(next: AccessRequest, expectedVersion: number): Promise<AccessRequest | null> {
    let base = this.latest.get(next.id);
    // Known newer already: someone else changed it first, no round trip needed.
    if (base && base.version > expectedVersion) return null;
    if (!base || base.version < expectedVersion) {
      // A version the request never had cannot be the base of a change.
      base = (await this.get(next.id)) ?? undefined;
      if (!base || base.version !== expectedVersion) return null;
    }
    return this.commit(base, { ...next, version: expectedVersion + 1 });
  }

  async listByRequester(aadObjectId: string, limit: number): Promise<AccessRequest[]> {
    if (limit === 0) return [];
    await this.headWriter.flush((record) => record.requester.aadObjectId === aadObjectId);
    const docs = await this.collections.heads.find({ 'requester.aadObjectId': aadObjectId }).sort({ createdAt: -1 }).limit(limit).toArray();
    return mapLimit(docs, READ_CONCURRENCY, (doc) => this.currentOfHead(doc));
  }

  async listByStatus(statuses: string[], limit: number): Promise<AccessRequest[]> {
    if (limit === 0 || statuses.length === 0) return [];
    await this.headWriter.flush((record) => statuses.includes(record.status));
    const docs = await this.collections.heads.find({ status: { $in: statuses } }).sort({ createdAt: 1 }).limit(limit).toArray();
    const current = await mapLimit(docs, READ_CONCURRENCY, (doc) => this.currentOfHead(doc));
    // A head another instance has not caught up yet may show a status the request has left.
    return current.filter((request) => statuses.includes(request.status));
  }

  async claimDue({ now, horizon = now, owner, leaseMs, limit }: ClaimOptions): Promise<AccessRequest[]> {
    const claimed: AccessRequest[] = [];
    for (let round = 0; round < MAX_CLAIM_ROUNDS && claimed.length < limit; round++) {
      const candidates = await this.entries.findDue(horizon, now, limit - claimed.length);
      if (candidates.length === 0) break;
      const results = await mapLimit(candidates, READ_CONCURRENCY, async (entry) => {
        const current = await this.currentFor(entry);
        if (!current || current.dueAt === null) return null;
        const leased = await this.commit(current, { ...current, leaseOwner: owner, leaseUntil: Math.max(now, current.dueAt) + leaseMs, version: current.version + 1 });
        // The claim wrote the entry of its own version.
        if (leased) this.entries.markStale(entry._id);
        return leased;
      });
      for (const leased of results) if (leased) claimed.push(leased);
    }
    await this.entries.collect();
    return claimed.sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  }

  explainDueQuery(horizon: number, now: number, limit: number): Promise<PlanSummary> {
    return this.entries.explainDueQuery(horizon, now, limit);
  }

  /** Writes the heads still pending and the bulk removal of stale entries (bounded), before the connection closes. */
  async close(): Promise<void> {
    await this.headWriter.close();
    await this.entries.collect(true).catch(() => undefined);
  }

  /** Writes every head still pending now. */
  flushHeads(): Promise<void> {
    return this.headWriter.flush();
  }

  /** Heads waiting to be written in the background. */
  get headBacklog(): number {
    return this.headWriter.backlog;
  }

  /**
   * Makes `next` (whose version is base.version + 1) the new state, unless
   * someone else has taken that version. Returns null when someone has.
   */
  private async commit(base: AccessRequest, next: AccessRequest): Promise<AccessRequest | null> {
    this.headWriter.noteActivity();
    const entryId = next.dueAt !== null ? await this.entries.add(next) : undefined;
    if ((await this.revisionInserts.insert(revisionDocument(next))) === 'duplicate') {
      if (entryId) this.entries.markStale(entryId);
      this.latest.forget(next.id);
      return null;
    }
    this.latest.remember(next);
    // Heads serve lists, which never look at leases: a claim alone need not touch the head.
    if (withoutLeaseAndVersion(base) !== withoutLeaseAndVersion(next)) this.headWriter.schedule(next);
    return next;
  }

  /** The record an entry stands for, if that is still the newest version; otherwise the entry is stale. */
  private async currentFor(entry: DueEntry): Promise<AccessRequest | null> {
    const known = this.latest.get(entry.requestId);
    if (known && known.version > entry.version) return this.stale(entry);
    let record = known?.version === entry.version ? known : undefined;
    if (!record) {
      const revision = await this.collections.revisions.findOne({ _id: revisionId(entry.requestId, entry.version) as never });
      if (!revision) {
        // Its writer is between the entry and the revision, or died there.
        return Date.now() - entry.writtenAt > ORPHAN_AFTER_MS ? this.stale(entry) : null;
      }
      record = fromRevision(revision);
    }
    // An entry of a writer that lost the race for this version.
    if (!entryMatches(entry, record)) return this.stale(entry);
    const current = await this.rollForward(record);
    return current.version === entry.version ? current : this.stale(entry);
  }

  private stale(entry: DueEntry): null {
    this.entries.markStale(entry._id);
    return null;
  }

  /** The newest version of the request a head shows; a head found behind is caught up in the background. */
  private async currentOfHead(doc: Document): Promise<AccessRequest> {
    const head = fromHead(doc);
    const known = this.latest.get(head.id);
    const current = await this.rollForward(known && known.version > head.version ? known : head);
    if (current.version > head.version) this.headWriter.schedule(current);
    return current;
  }

  /** Follows revisions newer than `request`. */
  private async rollForward(request: AccessRequest): Promise<AccessRequest> {
    let latest = request;
    for (let step = 0; step < MAX_ROLL_FORWARD; step++) {
      const revision = await this.collections.revisions.findOne({ _id: revisionId(latest.id, latest.version + 1) as never });
      if (!revision) break;
      latest = fromRevision(revision);
    }
    this.latest.remember(latest);
    return latest;
  }

  /**
   * Replaces the head (creating it if an insert stopped short of it). Two
   * instances may write one head in either order, so the writer then looks
   * for a newer revision and, if there is one, writes again from it.
   */
  private async writeHead(record: AccessRequest): Promise<void> {
    let latest = record;
    for (let step = 0; step < MAX_ROLL_FORWARD; step++) {
      await this.collections.heads.replaceOne({ _id: latest.id as never }, headDocument(latest), { upsert: true }).catch((error: unknown) => {
        // Two first-time upserts can collide; the document exists now.
        if ((error as { code?: number }).code !== 11000) throw error;
        return this.collections.heads.replaceOne({ _id: latest.id as never }, headDocument(latest));
      });
      const newer = await this.collections.revisions.findOne({ _id: revisionId(latest.id, latest.version + 1) as never });
      if (!newer) return;
      latest = fromRevision(newer);
      this.latest.remember(latest);
    }
  }
}
