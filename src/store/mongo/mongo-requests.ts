import type { Collection, Document, Filter } from 'mongodb';
import type { AccessRequest } from '../../domain/types';
import { DuplicateKeyError, type ClaimOptions } from '../store';
import { summarizeExplain, type PlanSummary } from './explain-plan';
import { decodeDocument, encodeDocument } from './key-encoding';
import { isDuplicateKey } from './mongo-errors';

// Why not findOneAndUpdate with the version in the filter? FerretDB 1.x runs
// every update as "read, filter in the gateway, write back by _id" without a
// lock, so two writers that read the same version both win (measured: up to
// 17 of 20 concurrent conditional updates succeeded). Inserting a document
// with a unique _id is atomic on MongoDB, Cosmos DB and FerretDB alike, so
// each change is decided by inserting revision "<id>@<version>": exactly one
// writer can insert it. The head document in `requests` is then brought up to
// date; if that second write is lost (crash, race), the next reader or writer
// rolls the head forward from the revisions, so the revisions are the truth
// and the head is the queryable copy.

/** Longest revision chain followed in one roll-forward; far beyond any real backlog. */
const MAX_ROLL_FORWARD = 1000;
/** Rounds of "query candidates, try to claim them" within one claimDue call. */
const MAX_CLAIM_ROUNDS = 50;

export function revisionId(requestId: string, version: number): string {
  return `${requestId}@${version}`;
}

/** Requests due at `now` whose lease is free or lapsed. */
export function dueFilter(now: number): Filter<Document> {
  return { dueAt: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] };
}

function toHead(request: AccessRequest): Document {
  return { _id: request.id, ...encodeDocument(request) };
}

function fromHead(doc: Document): AccessRequest {
  const { _id, ...rest } = doc;
  return decodeDocument<AccessRequest>(rest);
}

export class MongoRequests {
  constructor(
    private readonly heads: Collection<Document>,
    private readonly revisions: Collection<Document>,
  ) {}

  async insert(request: AccessRequest): Promise<void> {
    try {
      await this.heads.insertOne(toHead(request));
    } catch (err) {
      if (isDuplicateKey(err)) throw new DuplicateKeyError(`request ${request.id} already exists`);
      throw err;
    }
  }

  async get(id: string): Promise<AccessRequest | null> {
    const head = await this.heads.findOne({ _id: id as never });
    return head ? this.rollForward(fromHead(head)) : null;
  }

  async update(next: AccessRequest, expectedVersion: number): Promise<AccessRequest | null> {
    if (!Number.isInteger(expectedVersion)) {
      throw new RangeError(`updateRequest: expectedVersion must be an integer, got ${String(expectedVersion)}`);
    }
    const current = await this.get(next.id);
    // A version the request never had cannot be the base of a change.
    if (!current || current.version !== expectedVersion) return null;
    return this.commit(current, { ...next, version: expectedVersion + 1 });
  }

  async listByRequester(aadObjectId: string, limit: number): Promise<AccessRequest[]> {
    if (limit === 0) return [];
    const docs = await this.heads.find({ 'requester.aadObjectId': aadObjectId }).sort({ createdAt: -1 }).limit(limit).toArray();
    return docs.map(fromHead);
  }

  async listByStatus(statuses: string[], limit: number): Promise<AccessRequest[]> {
    if (limit === 0 || statuses.length === 0) return [];
    const docs = await this.heads.find({ status: { $in: statuses } }).sort({ createdAt: 1 }).limit(limit).toArray();
    return docs.map(fromHead);
  }

  async claimDue({ now, owner, leaseMs, limit }: ClaimOptions): Promise<AccessRequest[]> {
    const claimed: AccessRequest[] = [];
    for (let round = 0; round < MAX_CLAIM_ROUNDS && claimed.length < limit; round++) {
      const candidates = await this.heads
        .find(dueFilter(now))
        .sort({ dueAt: 1 })
        .limit(limit - claimed.length)
        .toArray();
      if (candidates.length === 0) break;
      // Candidates are independent, so try them together; results keep dueAt order.
      const results = await Promise.all(
        candidates.map((candidate) => {
          const current = fromHead(candidate);
          return this.commit(current, { ...current, leaseOwner: owner, leaseUntil: now + leaseMs, version: current.version + 1 });
        }),
      );
      for (const leased of results) if (leased) claimed.push(leased);
    }
    return claimed;
  }

  /** Query plan of the claimDue query, to check that it reads through the dueAt index. */
  async explainDueQuery(now: number, limit: number): Promise<PlanSummary> {
    const explain = await this.heads.find(dueFilter(now)).sort({ dueAt: 1 }).limit(limit).explain('queryPlanner');
    return summarizeExplain(explain as Document);
  }

  /**
   * Makes `next` (whose version is current.version + 1) the new state, if no
   * one else has taken that version. Returns null when someone else has.
   */
  private async commit(current: AccessRequest, next: AccessRequest): Promise<AccessRequest | null> {
    try {
      await this.revisions.insertOne({
        _id: revisionId(next.id, next.version) as never,
        requestId: next.id,
        version: next.version,
        record: encodeDocument(next),
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Someone else changed it first; bring the head up to date for the next reader.
      await this.rollForward(current);
      return null;
    }
    // The change is decided; a failed head refresh is repaired by the next reader.
    await this.writeHead(next).catch(() => undefined);
    return next;
  }

  /** Follows revisions newer than `request` and, if any, refreshes the head. */
  private async rollForward(request: AccessRequest): Promise<AccessRequest> {
    let latest = request;
    for (let step = 0; step < MAX_ROLL_FORWARD; step++) {
      const revision = await this.revisions.findOne({ _id: revisionId(latest.id, latest.version + 1) as never });
      if (!revision) break;
      latest = decodeDocument<AccessRequest>(revision.record as Record<string, unknown>);
    }
    if (latest !== request) await this.writeHead(latest);
    return latest;
  }

  /** Replaces the head unless it already shows this version or a newer one. */
  private async writeHead(request: AccessRequest): Promise<void> {
    await this.heads.replaceOne({ _id: request.id as never, version: { $lt: request.version } }, toHead(request));
  }
}
