import type { Collection, Document } from 'mongodb';
import type { AccessRequest } from '../../domain/types';
import { DeleteQueue } from './delete-queue';
import { summarizeExplain, type PlanSummary } from './explain-plan';
import type { InsertBatcher } from './insert-batcher';
import { dueEntryDocument, dueFilter, type DueEntry } from './request-documents';

/**
 * The schedule's index: one small document per request version that has a
 * due time (see mongo-requests.ts). Entries are only ever inserted, and
 * removed in bulk once superseded, which keeps the claim query to a small
 * collection on every server (FerretDB 1.x reads it in full) and to an index
 * range on the others.
 */
export class DueEntries {
  readonly stale: DeleteQueue;

  constructor(
    private readonly collection: Collection<Document>,
    private readonly batcher: InsertBatcher,
    quiet: () => boolean,
  ) {
    this.stale = new DeleteQueue(collection, quiet);
  }

  /** Writes the entry for this version of the request; returns its _id. */
  async add(request: AccessRequest, writer: string): Promise<string> {
    const entry = dueEntryDocument(request, writer, Date.now());
    if ((await this.batcher.insert(entry as unknown as Document)) === 'duplicate') {
      throw new Error(`due entry ${entry._id} exists already`);
    }
    return entry._id;
  }

  /** Entries due by `horizon` and not leased at `now`, earliest first, skipping those known stale. */
  async findDue(horizon: number, now: number, limit: number): Promise<DueEntry[]> {
    const extra = Math.min(this.stale.size, 5_000);
    const docs = (await this.collection.find(dueFilter(horizon, now)).sort({ dueAt: 1 }).limit(limit + extra).toArray()) as unknown as DueEntry[];
    return docs.filter((entry) => !this.stale.has(entry._id)).slice(0, limit);
  }

  /** How the server plans the claim query (index range or full scan). */
  async explainDueQuery(horizon: number, now: number, limit: number): Promise<PlanSummary> {
    const explain = await this.collection.find(dueFilter(horizon, now)).sort({ dueAt: 1 }).limit(limit).explain('queryPlanner');
    return summarizeExplain(explain as Document);
  }
}
