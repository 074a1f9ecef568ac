import { MongoBulkWriteError, type Collection, type Document } from 'mongodb';

/** Codes that mean "a document with this _id exists" (11001: older servers). */
const DUPLICATE_CODES = new Set([11000, 11001]);

export type InsertOutcome = 'inserted' | 'duplicate';

interface Waiting {
  doc: Document;
  resolve: (outcome: InsertOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for single-document inserts into one collection: while one
 * unordered insertMany is on its way, the documents that arrive meanwhile wait
 * and go together in the next one. Each caller still learns its own outcome
 * (inserted, or duplicate _id). Many small writers on a server with one write
 * lock (FerretDB on SQLite) become a few large transactions, and a burst of
 * state changes costs a handful of round trips instead of one each.
 */
export class InsertBatcher {
  private queue: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly collection: Collection<Document>,
    private readonly maxBatch = 1000,
  ) {}

  insert(doc: Document): Promise<InsertOutcome> {
    return new Promise<InsertOutcome>((resolve, reject) => {
      this.queue.push({ doc, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Callers of this same tick go in the first write too.
        queueMicrotask(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      await this.collection.insertMany(
        batch.map((waiting) => waiting.doc),
        { ordered: false },
      );
      for (const waiting of batch) waiting.resolve('inserted');
    } catch (error) {
      const writeErrors = error instanceof MongoBulkWriteError && !error.err ? [error.writeErrors].flat() : [];
      if (writeErrors.length === 0) {
        // The outcome of each document is unknown: every caller hears of the failure.
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      const failed = new Map<number, { code: number; message: string }>();
      for (const writeError of writeErrors) failed.set(writeError.index, { code: writeError.code, message: writeError.errmsg ?? '' });
      for (const [index, waiting] of batch.entries()) {
        const failure = failed.get(index);
        if (!failure) waiting.resolve('inserted');
        else if (DUPLICATE_CODES.has(failure.code)) waiting.resolve('duplicate');
        else waiting.reject(Object.assign(new Error(`insert into ${this.collection.collectionName} failed: ${failure.message}`), { code: failure.code }));
      }
    }
  }
}
