import type { Collection, Document } from 'mongodb';

/** Deleted at once whatever else is going on... */
const DELETE_AT = 5_000;
/** ...otherwise, when the instance is quiet, at most this often. */
const QUIET_EVERY_MS = 30_000;

/**
 * Documents found superseded (old heads, due entries), removed in bulk: one
 * delete statement for many, when the instance is quiet, because on FerretDB
 * 1.x a delete scans the whole collection while holding the write lock.
 * Removal is tidying only: readers skip superseded documents anyway.
 */
export class DeleteQueue {
  private readonly ids = new Set<string>();
  private lastDeleted = Date.now();
  private running: Promise<void> | null = null;

  constructor(
    private readonly collection: Collection<Document>,
    /** True when the instance has not written for a while. */
    private readonly quiet: () => boolean,
  ) {}

  add(id: string): void {
    this.ids.add(id);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }

  /** Deletes what has gathered when it is time to (or `force`); one delete at a time. */
  async flush(force = false): Promise<void> {
    if (this.running) return this.running;
    if (this.ids.size === 0) return;
    const due = force || this.ids.size >= DELETE_AT || (this.quiet() && Date.now() - this.lastDeleted >= QUIET_EVERY_MS);
    if (!due) return;
    const ids = [...this.ids].slice(0, DELETE_AT);
    this.running = (async () => {
      try {
        await this.collection.deleteMany({ _id: { $in: ids as never[] } });
        for (const id of ids) this.ids.delete(id);
        this.lastDeleted = Date.now();
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
