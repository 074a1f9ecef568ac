import { randomBytes } from 'node:crypto';
import { type Collection, type Document, type UpdateFilter } from 'mongodb';
import { DuplicateKeyError } from '../store';
import { isDuplicateKey, isDuplicateOn, isOutcomeUnknown } from './mongo-errors';

/** A unique index besides _id, and the error its duplicate means. */
export interface OtherUniqueKey {
  index: string;
  field: string;
  error: () => Error;
}

// Every write that decides something carries a fresh random writer token. When
// the connection breaks after the command was sent, nobody knows whether the
// server applied it; reading the document back and finding (or not) our token
// settles it, instead of guessing or repeating the write.

export function newWriterToken(): string {
  return randomBytes(8).toString('hex');
}

async function readBack(collection: Collection<Document>, id: string, original: unknown): Promise<Document | null> {
  try {
    return await collection.findOne({ _id: id as never });
  } catch {
    throw original; // still unreachable: the outcome stays unknown, reported as the store being unavailable
  }
}

/**
 * Applies `update` to the document `id` if its version is still `expected`,
 * adding 1 to the version and setting a writer token. True when applied,
 * false when the version had moved on (or the document does not exist).
 * After a lost connection: applied if the document is at expected + 1 with
 * our token; anything else counts as not applied (the caller reads again).
 */
export async function updateAtVersion(collection: Collection<Document>, id: string, expected: number, set: Document): Promise<boolean> {
  const writer = newWriterToken();
  const update: UpdateFilter<Document> = { $set: { ...set, writer }, $inc: { version: 1 } };
  try {
    const result = await collection.updateOne({ _id: id as never, version: expected }, update);
    return result.matchedCount === 1;
  } catch (err) {
    if (!isOutcomeUnknown(err)) throw err;
    const doc = await readBack(collection, id, err);
    return doc?.version === expected + 1 && doc.writer === writer;
  }
}

/**
 * Inserts a new document under a writer token; DuplicateKeyError when the _id
 * is taken. After a lost connection: inserted if the document carries our
 * token, taken if it carries another, and still unknown (the original error)
 * if it is not there.
 */
export async function insertNew(
  collection: Collection<Document>,
  doc: Document & { _id: string },
  what: string,
  other?: OtherUniqueKey,
): Promise<void> {
  const writer = newWriterToken();
  try {
    await collection.insertOne({ ...doc, writer } as Document);
    return;
  } catch (err) {
    if (other && isDuplicateOn(err, other.index, other.field)) throw other.error();
    if (isDuplicateKey(err)) throw new DuplicateKeyError(`${what} already exists`);
    if (!isOutcomeUnknown(err)) throw err;
    const stored = await readBack(collection, doc._id, err);
    if (stored?.writer === writer) return;
    if (stored) throw new DuplicateKeyError(`${what} already exists`);
    throw err;
  }
}
