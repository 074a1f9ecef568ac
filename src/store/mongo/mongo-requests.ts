import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import type { AccessRequest } from '../../domain/types';
import type { ClaimOptions } from '../store';
import { insertNew, newWriterToken, updateAtVersion } from './conditional-write';
import { isOutcomeUnknown } from './mongo-errors';
import { summarizeExplain, type PlanSummary } from './explain-plan';
import { dueFilter, fromRequestDocument, requestFields } from './request-documents';

/** Candidate rounds of one claim when other claimants take candidates first. */
const MAX_CLAIM_ATTEMPTS = 5;

/**
 * Requests and their due work, one document each (see request-documents.ts).
 * Every change is one conditional write on {_id, version}; a claim is a find
 * of candidates through the due index, one update command that leases those
 * still free, and a find of what this claim's token got.
 */
export class MongoRequests {
  constructor(private readonly requests: Collection<Document>) {}

  async insert(request: AccessRequest): Promise<void> {
    await insertNew(this.requests, { _id: request.id, version: request.version, ...requestFields(request) }, `request ${request.id}`);
  }

  async get(id: string): Promise<AccessRequest | null> {
    const doc = await this.requests.findOne({ _id: id as never });
    return doc ? fromRequestDocument(doc) : null;
  }

  async update(next: AccessRequest, expectedVersion: number): Promise<AccessRequest | null> {
    const stored: AccessRequest = { ...next, version: expectedVersion + 1 };
    return (await updateAtVersion(this.requests, next.id, expectedVersion, requestFields(stored))) ? stored : null;
  }

  async listByRequester(aadObjectId: string, limit: number): Promise<AccessRequest[]> {
    if (limit === 0) return [];
    const docs = await this.requests.find({ requesterId: aadObjectId }).sort({ createdAt: -1 }).limit(limit).toArray();
    return docs.map(fromRequestDocument);
  }

  async listByStatus(statuses: string[], limit: number): Promise<AccessRequest[]> {
    if (limit === 0 || statuses.length === 0) return [];
    const docs = await this.requests
      .find({ status: { $in: statuses } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .toArray();
    return docs.map(fromRequestDocument);
  }

  /**
   * Leases due requests. The update re-checks "due and free" per document,
   * so of claimants racing for one request exactly one matches it; each gets
   * back only what carries its own claim token. A claimant that lost some
   * candidates to another looks again (a few times) for the next ones.
   */
  async claimDue(options: ClaimOptions): Promise<AccessRequest[]> {
    const { now, limit } = options;
    const horizon = options.horizon ?? now;
    if (limit === 0) return [];
    const claim = newWriterToken();
    let taken = 0;
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS && taken < limit; attempt++) {
      const candidates = await this.requests
        .find(dueFilter(horizon, now), { projection: { _id: 1, dueAt: 1 } })
        .sort({ dueAt: 1 })
        .limit(limit - taken)
        .toArray();
      if (candidates.length === 0) break;
      const got = await this.lease(candidates, claim, options, horizon);
      taken += got;
      if (got === candidates.length) break;
    }
    if (taken === 0) return [];
    const claimed = await this.requests.find({ claim }).toArray();
    return claimed.map(fromRequestDocument).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  }

  /**
   * A request due at dueAt is leased until max(now, dueAt) + leaseMs: one
   * updateMany per lease end (normally one), sent as one ordered update
   * command. Returns how many it leased (all of them when the reply was lost).
   */
  private async lease(candidates: Document[], claim: string, options: ClaimOptions, horizon: number): Promise<number> {
    const byLeaseEnd = new Map<number, string[]>();
    for (const doc of candidates) {
      const leaseUntil = Math.max(options.now, doc.dueAt as number) + options.leaseMs;
      byLeaseEnd.set(leaseUntil, [...(byLeaseEnd.get(leaseUntil) ?? []), doc._id as unknown as string]);
    }
    const operations: AnyBulkWriteOperation<Document>[] = [...byLeaseEnd].map(([leaseUntil, ids]) => ({
      updateMany: {
        filter: { _id: { $in: ids as never[] }, ...dueFilter(horizon, options.now) },
        update: { $set: { claim, leaseOwner: options.owner, leaseUntil }, $inc: { version: 1 } },
      },
    }));
    try {
      return (await this.requests.bulkWrite(operations, { ordered: true })).modifiedCount;
    } catch (err) {
      // Outcome unknown: whatever carries our token is ours, and the find by token settles it.
      if (!isOutcomeUnknown(err)) throw err;
      return candidates.length;
    }
  }

  /** How the server plans the claim's candidate query (index range or full scan). */
  async explainDueQuery(horizon: number, now: number, limit: number): Promise<PlanSummary> {
    const explain = await this.requests
      .find(dueFilter(horizon, now), { projection: { _id: 1, dueAt: 1 } })
      .sort({ dueAt: 1 })
      .limit(limit)
      .explain('queryPlanner');
    return summarizeExplain(explain as Document);
  }
}
