import { MongoBulkWriteError, type Collection, type Document, type Filter } from 'mongodb';
import type { AuditEvent } from '../../domain/types';
import { DuplicateKeyError, type AuditAnchor, type AuditQuery } from '../store';
import { decodeDocument, encodeDocument } from './key-encoding';
import { isDuplicateKey } from './mongo-errors';
import { upsertById } from './mongo-upsert';
import { AuditHeads } from './audit-heads';

const ANCHOR_ID = 'auditAnchor';

/**
 * `AuditQuery.actorId` also matches the requester named in the details
 * (`details.requester.aadObjectId`), so a revocation done by the system
 * still shows up when searching for the admin who held the access.
 */
function subjectsOf(event: AuditEvent): string[] {
  const subjects = [event.actor.aadObjectId];
  const requester = event.details.requester;
  if (requester && typeof requester === 'object') {
    const id = (requester as { aadObjectId?: unknown }).aadObjectId;
    if (typeof id === 'string' && id !== '' && id !== subjects[0]) subjects.push(id);
  }
  return subjects;
}

function toDoc(event: AuditEvent): Document {
  // `_search` holds normalised copies for the indexes; mailboxes compare case-insensitively.
  const search: Document = { subjects: subjectsOf(event) };
  if (event.mailbox !== undefined) search.mailbox = event.mailbox.toLowerCase();
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

export class MongoAudit {
  private readonly heads: AuditHeads;

  constructor(
    private readonly records: Collection<Document>,
    private readonly meta: Collection<Document>,
    marks: Collection<Document>,
  ) {
    this.heads = new AuditHeads(marks);
  }

  /** The highest seq this process has seen. */
  private headHint: number | null = null;

  async append(event: AuditEvent): Promise<void> {
    try {
      await this.records.insertOne(toDoc(event));
      await this.appended(event.seq);
    } catch (err) {
      if (isDuplicateKey(err)) throw new DuplicateKeyError(`audit seq ${event.seq} is taken`);
      throw err;
    }
  }

  /** Inserts in order and stops at the first taken seq; returns how many were inserted. */
  async appendBatch(events: AuditEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    try {
      await this.records.insertMany(events.map(toDoc), { ordered: true });
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError) || err.err) throw err;
      const [first] = [err.writeErrors].flat();
      // Ordered: everything before the first failure is stored, nothing after it.
      if (!first || !isDuplicateKey(first)) throw err;
      if (first.index > 0) await this.appended(events[first.index - 1].seq);
      return first.index;
    }
    await this.appended(events[events.length - 1].seq);
    return events.length;
  }

  private async appended(lastSeq: number): Promise<void> {
    this.headHint = Math.max(this.headHint ?? 0, lastSeq);
    // A hint for other instances, not part of the record: the append does not wait for it (readers confirm marks).
    void this.heads.mark(lastSeq).catch(() => undefined);
  }

  /**
   * The newest record: the newest mark (or the last seq this process saw),
   * confirmed by reading that record and finding none after it. When the
   * marks are behind (a writer died between its records and its mark), the
   * long way: the newest record past that point, which is then marked.
   */
  async last(): Promise<AuditEvent | null> {
    const start = Math.max((await this.heads.newest()) ?? 0, this.headHint ?? 0);
    if (start > 0) {
      const [doc, after] = await Promise.all([
        this.records.findOne({ _id: start as never }),
        this.records.findOne({ _id: (start + 1) as never }),
      ]);
      if (doc && !after) {
        this.headHint = start;
        return fromDoc(doc);
      }
    }
    let [doc] = await this.records
      .find(start > 0 ? { _id: { $gte: start as never } } : {})
      .sort({ _id: -1 })
      .limit(1)
      .toArray();
    // Nothing from there on (retention removed it): whatever is left, if anything.
    if (!doc && start > 0) [doc] = await this.records.find({}).sort({ _id: -1 }).limit(1).toArray();
    if (!doc) {
      this.headHint = null;
      return null;
    }
    const event = fromDoc(doc);
    this.headHint = event.seq;
    await this.heads.mark(event.seq);
    return event;
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
