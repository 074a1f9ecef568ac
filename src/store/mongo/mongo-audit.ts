import { MongoBulkWriteError, type Collection, type Document, type Filter } from 'mongodb';
import type { AuditEvent } from '../../domain/types';
import { mailboxKey, requesterIdInDetails } from '../audit-search';
import { DuplicateKeyError, type AuditAnchor, type AuditQuery } from '../store';
import { decodeDocument, encodeDocument } from './key-encoding';
import { isDuplicateKey, isOutcomeUnknown } from './mongo-errors';
import { upsertById } from './mongo-upsert';

const ANCHOR_ID = 'auditAnchor';

function toDoc(event: AuditEvent): Document {
  // `_search` holds normalised copies for the indexes: the actor and the requester named in the details, the mailbox in lower case.
  const requester = requesterIdInDetails(event.details);
  const search: Document = {
    subjects: requester && requester !== event.actor.aadObjectId ? [event.actor.aadObjectId, requester] : [event.actor.aadObjectId],
  };
  const mailbox = mailboxKey(event.mailbox);
  if (mailbox !== null) search.mailbox = mailbox;
  return { _id: event.seq, ...encodeDocument(event), _search: search };
}

function fromDoc(doc: Document): AuditEvent {
  const { _id, _search, ...rest } = doc;
  return decodeDocument<AuditEvent>(rest);
}

function toFilter(query: AuditQuery): Filter<Document> {
  const filter: Document = {};
  if (query.fromSeq !== undefined) filter._id = { $gte: query.fromSeq };
  if (query.from !== undefined || query.to !== undefined) {
    filter.at = {
      ...(query.from !== undefined ? { $gte: query.from } : {}),
      ...(query.to !== undefined ? { $lte: query.to } : {}),
    };
  }
  if (query.requestId !== undefined) filter.requestId = query.requestId;
  if (query.mailbox !== undefined) filter['_search.mailbox'] = query.mailbox.toLowerCase();
  if (query.actorId !== undefined) filter['_search.subjects'] = query.actorId;
  if (query.ticket !== undefined) filter.ticket = query.ticket;
  return filter;
}

/** The audit trail: one insert per record, _id = seq (unique, so one writer takes each seq); the chain end is the highest _id. */
export class MongoAudit {
  constructor(
    private readonly records: Collection<Document>,
    private readonly meta: Collection<Document>,
  ) {}

  async append(event: AuditEvent): Promise<void> {
    try {
      await this.records.insertOne(toDoc(event));
    } catch (err) {
      if (isDuplicateKey(err)) throw new DuplicateKeyError(`audit seq ${event.seq} is taken`);
      if (!isOutcomeUnknown(err)) throw err;
      const stored = await this.storedPrefix([event], err);
      if (stored === 0) throw (await this.seqTaken(event.seq)) ? new DuplicateKeyError(`audit seq ${event.seq} is taken`) : err;
    }
  }

  /** Ordered insert that stops at the first taken seq; returns how many were inserted. */
  async appendBatch(events: AuditEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    try {
      await this.records.insertMany(events.map(toDoc), { ordered: true });
      return events.length;
    } catch (err) {
      if (isOutcomeUnknown(err)) return this.storedPrefix(events, err);
      if (!(err instanceof MongoBulkWriteError) || err.err) throw err;
      const [first] = [err.writeErrors].flat();
      // Ordered: everything before the first failure is stored, nothing after it.
      if (!first || !isDuplicateKey(first)) throw err;
      return first.index;
    }
  }

  /**
   * After a lost connection: how many of `events`, from the first, are stored
   * as ours (each record's hash is unique to its writer's chain).
   */
  private async storedPrefix(events: AuditEvent[], original: unknown): Promise<number> {
    const docs = await this.records
      .find({ _id: { $in: events.map((event) => event.seq) as never[] } })
      .toArray()
      .catch(() => {
        throw original;
      });
    const hashes = new Map(docs.map((doc) => [doc._id as unknown as number, doc.hash as string]));
    const mismatch = events.findIndex((event) => hashes.get(event.seq) !== event.hash);
    return mismatch === -1 ? events.length : mismatch;
  }

  private async seqTaken(seq: number): Promise<boolean> {
    return (await this.records.countDocuments({ _id: seq as never }, { limit: 1 })) > 0;
  }

  async last(): Promise<AuditEvent | null> {
    const [doc] = await this.records.find({}).sort({ _id: -1 }).limit(1).toArray();
    return doc ? fromDoc(doc) : null;
  }

  async list(query: AuditQuery): Promise<AuditEvent[]> {
    if (query.limit === 0) return [];
    let cursor = this.records.find(toFilter(query)).sort({ _id: 1 });
    if (query.limit !== undefined) cursor = cursor.limit(query.limit);
    return (await cursor.toArray()).map(fromDoc);
  }

  async deleteThrough(throughSeq: number): Promise<number> {
    const result = await this.records.deleteMany({ _id: { $lte: throughSeq as never } });
    return result.deletedCount;
  }

  async getAnchor(): Promise<AuditAnchor | null> {
    const doc = await this.meta.findOne({ _id: ANCHOR_ID as never });
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return decodeDocument<AuditAnchor>(rest);
  }

  async setAnchor(anchor: AuditAnchor): Promise<void> {
    await upsertById(this.meta, ANCHOR_ID, encodeDocument(anchor));
  }
}
