import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import type { AccessRequest } from '../../domain/types';
import { OpenRequestExistsError, type ClaimOptions } from '../store';
import { OPEN_SLOT_INDEX } from './mongo-collections';
import { insertNew, newWriterToken, updateAtVersion } from './conditional-write';
import { isOutcomeUnknown } from './mongo-errors';
import { summarizeExplain, type PlanSummary } from './explain-plan';
import { dueFilter, fromRequestDocument, leaseFree, requestFields } from './request-documents';

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
    await insertNew(this.requests, { _id: request.id, version: request.version, ...requestFields(request) }, `request ${request.id}`, {
      index: OPEN_SLOT_INDEX,
      field: 'openSlot',
      error: () => new OpenRequestExistsError(`request ${request.id}: the requester already has an open request for this mailbox`),
    });
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
   * Leases due requests. The update re-checks "due and free" and pins each
   * candidate's version, so of claimants racing for one request exactly one
   * matches it. When every candidate was leased, the candidates as read plus
   * the lease are exactly what the store holds; otherwise (some were taken or
   * changed meanwhile, or the reply was lost) the claim reads back what carries
   * its own token. A claimant that lost some candidates looks again (a few
   * times) for the next ones.
   */
  async claimDue(options: ClaimOptions): Promise<AccessRequest[]> {
    const { now, limit } = options;
    const horizon = options.horizon ?? now;
    if (limit === 0) return [];
    const claim = newWriterToken();
    const leased: AccessRequest[] = [];
    const seen: unknown[] = [];
    let taken = 0;
    let exact = true;
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS && taken < limit; attempt++) {
      const candidates = await this.requests
        .find(dueFilter(horizon, now))
        .sort({ dueAt: 1 })
        .limit(limit - taken)
        .toArray();
      if (candidates.length === 0) break;
      seen.push(...candidates.map((doc) => doc._id));
      const outcome = await this.lease(candidates, claim, options);
      taken += outcome.leased;
      if (outcome.copies) {
        leased.push(...outcome.copies);
        break;
      }
      exact = false;
    }
    if (taken === 0) return [];
    // By token among the candidates, so that the _id index answers it.
    const claimed = exact
      ? leased
      : (await this.requests.find({ _id: { $in: seen as never[] }, claim }).toArray()).map(fromRequestDocument);
    return claimed.sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  }

  /**
   * A request due at dueAt is leased until max(now, dueAt) + leaseMs: one
   * updateMany per lease end (normally one), sent as one ordered update
   * command, each matching only candidates still at the version read and
   * still free. `copies`: when every candidate was leased, them as stored
   * now; null when some were not, or when the reply was lost (then `leased`
   * counts them all, and the find by token settles what is ours).
   */
  private async lease(
    candidates: Document[],
    claim: string,
    options: ClaimOptions,
  ): Promise<{ leased: number; copies: AccessRequest[] | null }> {
    const byLeaseEnd = new Map<number, Document[]>();
    for (const doc of candidates) {
      const leaseUntil = Math.max(options.now, doc.dueAt as number) + options.leaseMs;
      byLeaseEnd.set(leaseUntil, [...(byLeaseEnd.get(leaseUntil) ?? []), doc]);
    }
    const operations: AnyBulkWriteOperation<Document>[] = [...byLeaseEnd].map(([leaseUntil, docs]) => ({
      updateMany: {
        filter: {
          _id: { $in: docs.map((doc) => doc._id as never) },
          // "Free" is checked again although the version is pinned: a server may send a candidate in a later state
          // than the one that matched, already leased by another claim (seen on mongo-java-server: without this
          // check the 300-grant race claims some twice), and then the pin alone would match that claim's version.
          $and: [
            leaseFree(options.now),
            { $or: docs.map((doc) => ({ _id: doc._id as never, version: doc.version as number }) as Document) },
          ],
        },
        update: { $set: { claim, leaseOwner: options.owner, leaseUntil }, $inc: { version: 1 } },
      },
    }));
    let leased: number;
    try {
      leased = (await this.requests.bulkWrite(operations, { ordered: true })).modifiedCount;
    } catch (err) {
      if (!isOutcomeUnknown(err)) throw err;
      return { leased: candidates.length, copies: null };
    }
    if (leased !== candidates.length) return { leased, copies: null };
    const copies = [...byLeaseEnd].flatMap(([leaseUntil, docs]) =>
      docs.map((doc) => fromRequestDocument({ ...doc, version: (doc.version as number) + 1, leaseOwner: options.owner, leaseUntil })),
    );
    return { leased, copies };
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
