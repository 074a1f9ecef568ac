import type { Collection, Document } from 'mongodb';
import type { AccessRequest } from '../../domain/types';
import { DeleteQueue } from './delete-queue';
import { summarizeExplain, type PlanSummary } from './explain-plan';
import type { InsertBatcher } from './insert-batcher';
import { isDuplicateKey } from './mongo-errors';
import { dueEntryDocument, dueFilter, type DueEntry } from './request-documents';

/** Entries due within this time go straight to the near collection, which the claim query reads. */
export const NEAR_MS = 15 * 60_000;
/** How often (on the claim clock) entries falling due soon are moved from the later collection to the near one. */
const PROMOTE_EVERY_MS = 60_000;

/** Where an entry was written. */
export interface EntryRef {
  id: string;
  later: boolean;
}

export interface DueEntryCollections {
  near: Collection<Document>;
  later: Collection<Document>;
  nearInserts: InsertBatcher;
  laterInserts: InsertBatcher;
}

/**
 * The schedule's index: one small document per request version that has a
 * due time (see mongo-requests.ts). Entries are only ever inserted, and
 * removed in bulk once superseded. The claim query, which runs every round,
 * reads only the near collection (due within 15 minutes, or overdue); entries
 * due later wait in a second collection and are moved over at least once a
 * minute. So the claim query stays small on every server: FerretDB 1.x reads a
 * collection in full for it, the others read an index range.
 */
export class DueEntries {
  /** Near entries found superseded, waiting for the bulk removal. */
  readonly stale: DeleteQueue;
  private readonly staleLater: DeleteQueue;
  /** Claim-clock time of the last move (tests move their clock both ways). */
  private promotedAt: number | null = null;

  constructor(
    private readonly collections: DueEntryCollections,
    quiet: () => boolean,
  ) {
    this.stale = new DeleteQueue(collections.near, quiet);
    this.staleLater = new DeleteQueue(collections.later, quiet);
  }

  /** Writes the entry for this version of the request, near or later by its due time. */
  async add(request: AccessRequest, writer: string): Promise<EntryRef> {
    const entry = dueEntryDocument(request, writer, Date.now());
    const later = entry.dueAt > entry.writtenAt + NEAR_MS;
    const batcher = later ? this.collections.laterInserts : this.collections.nearInserts;
    if ((await batcher.insert(entry as unknown as Document)) === 'duplicate') {
      throw new Error(`due entry ${entry._id} exists already`);
    }
    return { id: entry._id, later };
  }

  /** An entry some newer version superseded, for the bulk removal. */
  markStale(ref: EntryRef): void {
    (ref.later ? this.staleLater : this.stale).add(ref.id);
  }

  /** Entries due by `horizon` and not leased at `now`, earliest first, skipping those known stale. */
  async findDue(horizon: number, now: number, limit: number): Promise<DueEntry[]> {
    await this.promote(now);
    const extra = Math.min(this.stale.size, 5_000);
    const docs = (await this.collections.near
      .find(dueFilter(horizon, now))
      .sort({ dueAt: 1 })
      .limit(limit + extra)
      .toArray()) as unknown as DueEntry[];
    return docs.filter((entry) => !this.stale.has(entry._id)).slice(0, limit);
  }

  /** Starts the bulk removals when due (or `force`). */
  flush(force = false): Promise<unknown> {
    return Promise.all([this.stale.flush(force), this.staleLater.flush(force)]);
  }

  /** How the server plans the claim query (index range or full scan). */
  async explainDueQuery(horizon: number, now: number, limit: number): Promise<PlanSummary> {
    const explain = await this.collections.near.find(dueFilter(horizon, now)).sort({ dueAt: 1 }).limit(limit).explain('queryPlanner');
    return summarizeExplain(explain as Document);
  }

  /**
   * Moves entries falling due within NEAR_MS (of `now`) to the near
   * collection: copy first, then remove, so that a move cut short leaves a
   * copy in both (moved again, the copy refused as a duplicate), never none.
   * Several instances moving at once do the same harmlessly.
   */
  private async promote(now: number): Promise<void> {
    if (this.promotedAt !== null && now >= this.promotedAt && now - this.promotedAt < PROMOTE_EVERY_MS) return;
    this.promotedAt = now;
    const soon = await this.collections.later.find({ dueAt: { $lte: now + NEAR_MS } }).toArray();
    if (soon.length === 0) return;
    try {
      await this.collections.near.insertMany(soon, { ordered: false });
    } catch (error) {
      const failures = [(error as { writeErrors?: unknown }).writeErrors ?? []].flat();
      if (failures.length === 0 || !failures.every((failure) => isDuplicateKey(failure))) throw error;
    }
    await this.collections.later.deleteMany({ _id: { $in: soon.map((doc) => doc._id) as never[] } });
  }
}
