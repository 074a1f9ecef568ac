import type { Collection, Document } from 'mongodb';
import { isDuplicateKey } from './mongo-errors';

/** Marks kept; older ones are removed in bulk every PRUNE_EVERY marks. */
const KEEP = 100;
const PRUNE_EVERY = 200;

/**
 * Where the audit chain ended after each append: one tiny document per
 * appended batch (_id = its last seq). Instances that share the chain race
 * for the next seq; the loser must learn the new end. Reading it from a small
 * collection costs little everywhere, where finding the newest record of the
 * whole trail means a full scan and sort on FerretDB 1.x. A mark may be
 * missing (its writer died right after the records), so readers confirm it.
 */
export class AuditHeads {
  private marked = 0;

  constructor(private readonly marks: Collection<Document>) {}

  /** The highest seq marked, if any. */
  async newest(): Promise<number | null> {
    const [mark] = await this.marks.find({}).sort({ _id: -1 }).limit(1).toArray();
    return mark ? (mark._id as unknown as number) : null;
  }

  async mark(seq: number): Promise<void> {
    try {
      await this.marks.insertOne({ _id: seq as never });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    if (++this.marked % PRUNE_EVERY === 0) await this.marks.deleteMany({ _id: { $lt: (seq - KEEP) as never } });
  }
}
