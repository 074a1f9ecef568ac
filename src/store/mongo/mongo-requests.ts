import type { Collection, Document } from 'mongodb';
import type { AccessRequest } from '../../domain/types';
import { DuplicateKeyError, type ClaimOptions } from '../store';
import { DeleteQueue } from './delete-queue';
import { DueEntries } from './due-entries';
import type { PlanSummary } from './explain-plan';
import { InsertBatcher } from './insert-batcher';
import { LatestRecords, type KnownVersion } from './latest-records';
import { ReadBatcher } from './read-batcher';
import { headDocument, newWriterToken, revisionDocument } from './request-documents';
import { RequestVersions } from './request-versions';

// How requests are stored, on the subset MongoDB, Cosmos DB and FerretDB 1.x
// share. Every change is inserts only:
//
// 1. its due entry (if it has a due time) and its head (unless only the lease
//    changed), each carrying the writer's random token;
// 2. its revision "<id>@<version>", with the same token. Inserting a unique
//    _id is atomic everywhere, so exactly one writer gets each version: the
//    revisions are the truth. (FerretDB 1.x runs a conditional update as
//    "read, filter, write back" without a lock, so two writers that read the
//    same version would both win: measured, up to 17 of 20.)
//
// Because 1 comes before 2, every version that exists has its entry and head;
// a writer that lost the race, or died before 2, leaves documents whose token
// matches no revision, which readers ignore and remove in bulk later, with the
// entries and heads that newer versions superseded. The scheduler's claim
// query reads the small due entries; lists read the heads; both check what
// they found against the revisions in one batched read. Nothing is ever
// updated in place: on FerretDB 1.x (SQLite) every update and every read
// scans its whole collection, while inserts do not.

/** Rounds of "find due entries, try to claim them" within one claimDue call (each reads the entries anew). */
const MAX_CLAIM_ROUNDS = 5;
/** Candidates read per claim wanted. */
const SPARE_CANDIDATES = 3;
/** By default, an entry or head whose revision is still missing this long after it was written belongs to a writer that died. */
const ORPHAN_AFTER_MS = 10 * 60_000;
/** No request change for this long: a good time to remove superseded documents. */
const QUIET_AFTER_MS = 2_000;

export interface RequestCollections {
  heads: Collection<Document>;
  revisions: Collection<Document>;
  dueEntries: Collection<Document>;
  dueEntriesLater: Collection<Document>;
}

export interface MongoRequestsOptions {
  /** Failures of tidying work (removing superseded documents), which callers never see. */
  onBackgroundError?: (error: unknown, what: string) => void;
  /** How long a head or due entry without its revision may belong to a writer still at work (default 10 minutes). */
  orphanAfterMs?: number;
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
  private readonly versions: RequestVersions;
  private readonly entries: DueEntries;
  private readonly staleHeads: DeleteQueue;
  private readonly onBackgroundError: (error: unknown, what: string) => void;
  /** When this instance last wrote a request change, to tidy up only when it is quiet. */
  private lastWrite = 0;

  constructor(
    private readonly collections: RequestCollections,
    options: MongoRequestsOptions = {},
  ) {
    this.revisionInserts = new InsertBatcher(collections.revisions);
    this.headInserts = new InsertBatcher(collections.heads);
    const quiet = () => Date.now() - this.lastWrite > QUIET_AFTER_MS;
    this.entries = new DueEntries(
      {
        near: collections.dueEntries,
        later: collections.dueEntriesLater,
        nearInserts: new InsertBatcher(collections.dueEntries),
        laterInserts: new InsertBatcher(collections.dueEntriesLater),
      },
      quiet,
    );
    this.staleHeads = new DeleteQueue(collections.heads, quiet);
    this.onBackgroundError = options.onBackgroundError ?? (() => undefined);
    this.versions = new RequestVersions(
      new ReadBatcher(collections.revisions),
      this.latest,
      { entry: (id) => this.entries.stale.add(id), head: (id) => this.staleHeads.add(id) },
      options.orphanAfterMs ?? ORPHAN_AFTER_MS,
    );
  }

  async insert(request: AccessRequest): Promise<void> {
    this.lastWrite = Date.now();
    const writer = newWriterToken();
    // Revision 1 is what takes the id: a request stored at a later version (imports, tests) takes it first.
    if (
      request.version !== 1 &&
      (await this.revisionInserts.insert(revisionDocument({ ...request, version: 1 }, writer))) === 'duplicate'
    ) {
      throw new DuplicateKeyError(`request ${request.id} already exists`);
    }
    const [entry, headId] = await Promise.all([
      request.dueAt !== null ? this.entries.add(request, writer) : undefined,
      this.insertHead(request, writer),
    ]);
    if ((await this.revisionInserts.insert(revisionDocument(request, writer))) === 'duplicate') {
      if (entry) this.entries.markStale(entry);
      this.staleHeads.add(headId);
      throw new DuplicateKeyError(`request ${request.id} already exists`);
    }
    this.latest.remember({ record: request, writer, headId, entry });
  }

  async get(id: string): Promise<AccessRequest | null> {
    return (await this.current(id))?.record ?? null;
  }

  async update(next: AccessRequest, expectedVersion: number): Promise<AccessRequest | null> {
    let base = this.latest.get(next.id);
    // Known newer already: someone else changed it first, no round trip needed.
    if (base && base.record.version > expectedVersion) return null;
    if (!base || base.record.version < expectedVersion) {
      // A version the request never had cannot be the base of a change.
      base = (await this.current(next.id)) ?? undefined;
      if (!base || base.record.version !== expectedVersion) return null;
    }
    return this.commit(base, { ...next, version: expectedVersion + 1 });
  }

  async listByRequester(aadObjectId: string, limit: number): Promise<AccessRequest[]> {
    if (limit === 0) return [];
    const found = await this.listHeads({ requesterId: aadObjectId }, { createdAt: -1 }, limit, () => true);
    return found.sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
  }

  async listByStatus(statuses: string[], limit: number): Promise<AccessRequest[]> {
    if (limit === 0 || statuses.length === 0) return [];
    // A head of an older version may show a status the request has left; the check against the revisions drops it.
    const found = await this.listHeads({ status: { $in: statuses } }, { createdAt: 1 }, limit, (request) =>
      statuses.includes(request.status),
    );
    return found.sort((a, b) => a.createdAt - b.createdAt).slice(0, limit);
  }

  async claimDue({ now, horizon = now, owner, leaseMs, limit }: ClaimOptions): Promise<AccessRequest[]> {
    const claimed: AccessRequest[] = [];
    for (let round = 0; round < MAX_CLAIM_ROUNDS && claimed.length < limit; round++) {
      const wanted = limit - claimed.length;
      // Some spare candidates: instances claiming at once lose some races, and can go on with the rest without reading again.
      const fetch = wanted * SPARE_CANDIDATES;
      const candidates = await this.entries.findDue(horizon, now, fetch);
      if (candidates.length === 0) break;
      const staleBefore = this.entries.stale.size;
      // All are checked against the revisions together: one batched read.
      const checked = await Promise.all(candidates.map((entry) => this.versions.ofEntry(entry)));
      const usable = checked.filter((known): known is KnownVersion => known !== null && known.record.dueAt !== null);
      // Earliest due first; what another instance took first is skipped for the next in line.
      const queue = [...usable];
      const before = claimed.length;
      while (queue.length > 0 && claimed.length < limit) {
        const attempt = queue.splice(0, limit - claimed.length);
        const results = await Promise.all(
          attempt.map((known) =>
            this.commit(known, {
              ...known.record,
              leaseOwner: owner,
              leaseUntil: Math.max(now, known.record.dueAt!) + leaseMs,
              version: known.record.version + 1,
            }),
          ),
        );
        for (const leased of results) if (leased) claimed.push(leased);
      }
      // Another round helps only when this one got somewhere (claims, or entries now known superseded, e.g. lost to
      // another instance) and may have left some out: entries skipped as still in flight come back the same.
      const learned = this.entries.stale.size > staleBefore;
      if (candidates.length < fetch || (claimed.length === before && !learned)) break;
    }
    this.tidy();
    return claimed.sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  }

  explainDueQuery(horizon: number, now: number, limit: number): Promise<PlanSummary> {
    return this.entries.explainDueQuery(horizon, now, limit);
  }

  /** Removes what was found superseded (bounded), before the connection closes. */
  async close(): Promise<void> {
    await Promise.all([this.entries.flush(true), this.staleHeads.flush(true)]).catch((error: unknown) =>
      this.onBackgroundError(error, 'removing superseded heads and due entries'),
    );
  }

  /**
   * Makes `next` (whose version is base's + 1) the new state, unless someone
   * else has taken that version. Returns null when someone has.
   */
  private async commit(base: KnownVersion, next: AccessRequest): Promise<AccessRequest | null> {
    this.lastWrite = Date.now();
    const writer = newWriterToken();
    // Heads serve lists, which never look at leases: a claim alone writes none.
    const headChanged = withoutLeaseAndVersion(base.record) !== withoutLeaseAndVersion(next);
    const [entry, headId] = await Promise.all([
      next.dueAt !== null ? this.entries.add(next, writer) : undefined,
      headChanged ? this.insertHead(next, writer) : undefined,
    ]);
    if ((await this.revisionInserts.insert(revisionDocument(next, writer))) === 'duplicate') {
      if (entry) this.entries.markStale(entry);
      if (headId) this.staleHeads.add(headId);
      this.latest.forget(next.id);
      return null;
    }
    // What this change superseded goes in the next bulk removal.
    if (base.entry) this.entries.markStale(base.entry);
    if (headId && base.headId) this.staleHeads.add(base.headId);
    this.latest.remember({ record: next, writer, headId: headId ?? base.headId, entry });
    return next;
  }

  private async insertHead(request: AccessRequest, writer: string): Promise<string> {
    const doc = headDocument(request, writer, Date.now());
    if ((await this.headInserts.insert(doc)) === 'duplicate') throw new Error(`head ${String(doc._id)} exists already`);
    return String(doc._id);
  }

  /** The newest version of a request, from what is known here or from its heads. */
  private async current(id: string): Promise<KnownVersion | null> {
    const known = this.latest.get(id);
    if (known) return this.versions.newest(known);
    const heads = await this.collections.heads.find({ id }).toArray();
    return (await this.versions.ofHeads(heads)).get(id) ?? null;
  }

  /**
   * Reads heads matching `filter`, more until `enough` distinct requests pass
   * `keep` (or none are left), and returns those requests as they are now.
   */
  private async listHeads(
    filter: Document,
    sort: Record<string, 1 | -1>,
    enough: number,
    keep: (request: AccessRequest) => boolean,
  ): Promise<AccessRequest[]> {
    // A request may have a few heads (superseded ones not yet removed), so read some more than asked.
    for (let fetch = enough * 2 + 10; ; fetch *= 4) {
      const docs = await this.collections.heads.find(filter).sort(sort).limit(fetch).toArray();
      const current = [...(await this.versions.ofHeads(docs)).values()].map((known) => known.record).filter(keep);
      this.tidy();
      if (current.length >= enough || docs.length < fetch) return current;
    }
  }

  /** Starts the bulk removal of superseded documents when due; callers do not wait for it, and its failure is only reported. */
  private tidy(): void {
    void Promise.all([this.entries.flush(), this.staleHeads.flush()]).catch((error: unknown) =>
      this.onBackgroundError(error, 'removing superseded heads and due entries'),
    );
  }
}
