import type { Collection, Document } from 'mongodb';
import { isDuplicateKey } from './mongo-errors';

/** Upper bound on values skipped in one call; reached only if the hint is wildly stale. */
const MAX_STEPS = 100_000;

/**
 * Named counters without $inc: FerretDB 1.x applies findAndModify/$inc as an
 * unlocked read-modify-write, so concurrent callers can get the same value.
 * Instead each value is reserved by inserting "<name>@<value>" (unique _id,
 * atomic everywhere); the `counters` document is only a hint where to start.
 */
export class MongoCounters {
  constructor(
    private readonly hints: Collection<Document>,
    private readonly values: Collection<Document>,
  ) {}

  async next(name: string): Promise<number> {
    const hint = await this.hints.findOne({ _id: name as never });
    const start = typeof hint?.value === 'number' ? hint.value + 1 : 1;
    for (let value = start; value < start + MAX_STEPS; value++) {
      try {
        await this.values.insertOne({ _id: `${name}@${value}` as never, name, value });
      } catch (err) {
        if (isDuplicateKey(err)) continue;
        throw err;
      }
      await this.raiseHint(name, value).catch(() => undefined);
      return value;
    }
    throw new Error(`counter ${name}: no free value within ${MAX_STEPS} of ${start}`);
  }

  /** Best effort: a stale hint only costs extra steps. */
  private async raiseHint(name: string, value: number): Promise<void> {
    try {
      await this.hints.updateOne({ _id: name as never }, { $max: { value } }, { upsert: true });
    } catch (err) {
      // Two first-time upserts can collide; the document exists now.
      if (!isDuplicateKey(err)) throw err;
      await this.hints.updateOne({ _id: name as never }, { $max: { value } });
    }
  }
}
