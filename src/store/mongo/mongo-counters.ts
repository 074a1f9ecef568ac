import type { Collection, Document } from 'mongodb';
import { isDuplicateKey } from './mongo-errors';

/**
 * Named counters: one document per name, raised atomically with
 * findOneAndUpdate + $inc. The value is taken from the document as it was
 * before the change (absent: inserted by this call), which is what the
 * atomic step saw; mongo-java-server re-reads the document for "after", so
 * two callers could be handed the same value there.
 */
export class MongoCounters {
  constructor(private readonly counters: Collection<Document>) {}

  async next(name: string): Promise<number> {
    const raise = () =>
      this.counters.findOneAndUpdate({ _id: name as never }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'before' });
    let before: Document | null;
    try {
      before = await raise();
    } catch (err) {
      // Two first uses of a name can both try to insert it; the loser's retry finds the document.
      if (!isDuplicateKey(err)) throw err;
      before = await raise();
    }
    return before === null ? 1 : (before.value as number) + 1;
  }
}
