import type { Collection, Document } from 'mongodb';
import type { AccessRequest } from '../../domain/types';
import { summarizeExplain, type PlanSummary } from './explain-plan';
import type { InsertBatcher } from './insert-batcher';
import { dueEntryDocument, dueFilter, type DueEntry } from './request-documents';

/** Stale entries gathered before one delete removes them all. */
const COLLECT_AT = 500;
/** ...or after this long, whichever comes first. */
const COLLECT_EVERY_MS = 10_000;
/** Most entries removed by one delete. */
const COLLECT_MAX = 5_000;

/**
 * The schedule's index: one small document per request version that has a
 * due time (see mongo-requests.ts). Entries are only ever inserted, then
 * removed in bulk once superseded, which keeps the claim query to a small
 * collection on every server (FerretDB 1.x reads it in full) and to an index
 * range on the others.
 */
export class DueEntries {
  /** Entries found superseded, waiting for the next bulk removal. */
  private readonly stale = new Set<string>();
  private lastCollected = Date.now();

  constructor(
    private readonly collection: Collection<Document>,
    private readonly batcher: InsertBatcher,
  ) {}

  /** Writes the entry for this version of the request; returns its _id. */
  async add(request: AccessRequest): Promise<string> {
    const entry = dueEntryDocument(request, Date.now());
    if ((await this.batcher.insert(entry as unknown as Document)) === 'duplicate') {
      throw new Error(`due entry ${entry._id} exists already`);
    }
    return entry._id;
  }

  /** Entries due by `horizon` and not leased at `now`, earliest first, skipping those known stale. */
  async findDue(horizon: number, now: number, limit: number): Promise<DueEntry[]> {
    await this.collect();
    const extra = Math.min(this.stale.size, COLLECT_MAX);
    const docs = (await this.collection.find(dueFilter(horizon, now)).sort({ dueAt: 1 }).limit(limit + extra).toArray()) as unknown as DueEntry[];
    return docs.filter((entry) => !this.stale.has(entry._id)).slice(0, limit);
  }

  markStale(entryId: string): void {
    this.stale.add(entryId);
  }

  /** Removes stale entries in one statement once enough have gathered (or `force`). */
  async collect(force = false): Promise<void> {
    if (this.stale.size === 0) return;
    if (!force && this.stale.size < COLLECT_AT && Date.now() - this.lastCollected < COLLECT_EVERY_MS) return;
    const ids = [...this.stale].slice(0, COLLECT_MAX);
    await this.collection.deleteMany({ _id: { $in: ids as never[] } });
    for (const id of ids) this.stale.delete(id);
    this.lastCollected = Date.now();
  }

  /** How the server plans the claim query (index range or full scan). */
  async explainDueQuery(horizon: number, now: number, limit: number): Promise<PlanSummary> {
    const explain = await this.collection.find(dueFilter(horizon, now)).sort({ dueAt: 1 }).limit(limit).explain('queryPlanner');
    return summarizeExplain(explain as Document);
  }
}
