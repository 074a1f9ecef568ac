import type { Document } from 'mongodb';
import type { MongoCollections } from './mongo-collections';
import { isDuplicateKey } from './mongo-errors';
import type { AccessRequest } from '../../domain/types';
import { decodeDocument, encodeDocument } from './key-encoding';
import { NEAR_MS } from './due-entries';
import { dueEntryDocument, fromRevision, headDocument, revisionId } from './request-documents';
import { NO_TOKEN } from './request-versions';

/** Marks a database whose requests are stored as mongo-requests.ts describes. */
const LAYOUT_ID = 'requestLayout';
const LAYOUT_VERSION = 2;

async function insertUnlessPresent(insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * Brings requests stored by the first MongoDB layout (one head per request,
 * _id = request id, all fields of the record, updated in place; revisions
 * from version 2 with the record as a document; the scheduler reading the
 * heads) to the current one: each old head is replaced by a current one for
 * the version it shows, that version gets a revision (and version 1 one too,
 * so that the id stays taken), and the newest version gets a due entry if it
 * is due. Old documents carry no writer token, which readers accept as the
 * token of the first layout. Runs once per database; two instances running
 * it together only write the same documents twice (refused as duplicates) or
 * leave spare entries (removed as superseded).
 */
export async function upgradeRequestLayout(collections: MongoCollections): Promise<number> {
  const marker = await collections.meta.findOne({ _id: LAYOUT_ID as never });
  if ((marker?.version as number | undefined) === LAYOUT_VERSION) return 0;
  const replaced: unknown[] = [];
  for await (const doc of collections.requests.find({ record: { $exists: false } })) {
    const { _id, ...fields } = doc as Document;
    let request = decodeDocument<AccessRequest>(fields);
    await insertUnlessPresent(() => collections.requests.insertOne(headDocument(request, undefined, Date.now()) as unknown as Document));
    for (const version of new Set([1, request.version])) {
      const record = version === request.version ? request : { ...request, version };
      await insertUnlessPresent(() =>
        collections.requestRevisions.insertOne({
          _id: revisionId(request.id, version) as never,
          requestId: request.id,
          version,
          record: encodeDocument(record),
        }),
      );
    }
    for (
      let next = await collections.requestRevisions.findOne({ _id: revisionId(request.id, request.version + 1) as never });
      next;
      next = await collections.requestRevisions.findOne({ _id: revisionId(request.id, request.version + 1) as never })
    ) {
      request = fromRevision(next);
    }
    if (request.dueAt !== null) {
      const entry = dueEntryDocument(request, NO_TOKEN, Date.now());
      await (entry.dueAt > entry.writtenAt + NEAR_MS ? collections.requestDueLater : collections.requestDue).insertOne(
        entry as unknown as Document,
      );
    }
    replaced.push(_id);
  }
  if (replaced.length > 0) await collections.requests.deleteMany({ _id: { $in: replaced as never[] } });
  await collections.meta
    .replaceOne({ _id: LAYOUT_ID as never }, { _id: LAYOUT_ID, version: LAYOUT_VERSION }, { upsert: true })
    .catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
  return replaced.length;
}
