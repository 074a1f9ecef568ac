import { MongoBulkWriteError, type Collection, type Document } from 'mongodb';
import { BatchQueue, type Pending } from '../../shared/batch-queue';
import { isDuplicateKey } from './mongo-errors';

export type InsertOutcome = 'inserted' | 'duplicate';

/**
 * Group commit for single-document inserts into one collection: while one
 * unordered insertMany is on its way, the documents that arrive meanwhile wait
 * and go together in the next one. Each caller still learns its own outcome
 * (inserted, or duplicate _id). Many small writers on a server with one write
 * lock (FerretDB on SQLite) become a few large transactions, and a burst of
 * state changes costs a handful of round trips instead of one each.
 */
export class InsertBatcher {
  private readonly queue: BatchQueue<Document, InsertOutcome>;

  constructor(
    private readonly collection: Collection<Document>,
    maxBatch = 1000,
  ) {
    this.queue = new BatchQueue((batch) => this.write(batch), { maxBatch });
  }

  insert(doc: Document): Promise<InsertOutcome> {
    return this.queue.add(doc);
  }

  private async write(batch: Pending<Document, InsertOutcome>[]): Promise<void> {
    try {
      await this.collection.insertMany(
        batch.map((pending) => pending.item),
        { ordered: false },
      );
      for (const pending of batch) pending.resolve('inserted');
    } catch (error) {
      const writeErrors = error instanceof MongoBulkWriteError && !error.err ? [error.writeErrors].flat() : [];
      // No per-document errors: the outcome of each is unknown, and every caller hears of the failure.
      if (writeErrors.length === 0) throw error;
      const failed = new Map(writeErrors.map((writeError) => [writeError.index, writeError]));
      for (const [index, pending] of batch.entries()) {
        const failure = failed.get(index);
        if (!failure) pending.resolve('inserted');
        else if (isDuplicateKey(failure)) pending.resolve('duplicate');
        else
          pending.reject(
            Object.assign(new Error(`insert into ${this.collection.collectionName} failed: ${failure.errmsg ?? ''}`), {
              code: failure.code,
            }),
          );
      }
    }
  }
}
