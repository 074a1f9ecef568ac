import type { Collection, Document } from 'mongodb';
import { isDuplicateKey } from './mongo-errors';

/** Replace-or-insert by _id; two first upserts of one _id can collide, and the loser then replaces what the winner inserted. */
export async function upsertById(collection: Collection<Document>, id: string, body: Document): Promise<void> {
  const doc = { _id: id, ...body };
  try {
    await collection.replaceOne({ _id: id as never }, doc, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await collection.replaceOne({ _id: id as never }, doc);
  }
}
