import type { Document } from 'mongodb';
import type { MongoCollections } from './mongo-collections';
import { isDuplicateKey } from './mongo-errors';
import { dueEntryDocument, fromHead, fromRevision, revisionDocument, revisionId } from './request-documents';

/** Marks a database whose requests have revisions from version 1 and due entries (see mongo-requests.ts). */
const LAYOUT_ID = 'requestLayout';
const LAYOUT_VERSION = 2;

async function insertIgnoringDuplicate(insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * Brings requests stored by the first MongoDB layout (head only until the
 * first change, scheduler reading the heads) to the current one: a revision
 * for the version each head shows, and a due entry for each request that is
 * due. Runs once per database; two instances running it together only
 * write the same revisions twice (refused as duplicates) and spare entries
 * (ignored as stale).
 */
export async function upgradeRequestLayout(collections: MongoCollections): Promise<number> {
  const marker = await collections.meta.findOne({ _id: LAYOUT_ID as never });
  if ((marker?.version as number | undefined) === LAYOUT_VERSION) return 0;
  let upgraded = 0;
  for await (const head of collections.requests.find({})) {
    let request = fromHead(head as Document);
    await insertIgnoringDuplicate(() => collections.requestRevisions.insertOne(revisionDocument(request)));
    for (let next = await collections.requestRevisions.findOne({ _id: revisionId(request.id, request.version + 1) as never }); next; next = await collections.requestRevisions.findOne({ _id: revisionId(request.id, request.version + 1) as never })) {
      request = fromRevision(next);
    }
    if (request.dueAt !== null) await collections.requestDue.insertOne(dueEntryDocument(request, Date.now()) as unknown as Document);
    upgraded++;
  }
  await collections.meta.replaceOne({ _id: LAYOUT_ID as never }, { _id: LAYOUT_ID, version: LAYOUT_VERSION }, { upsert: true }).catch((err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  });
  return upgraded;
}
