import type { Document } from 'mongodb';
import type { AccessRequest } from '../../domain/types';
import type { LatestRecords, KnownVersion } from './latest-records';
import type { ReadBatcher } from './read-batcher';
import { fromHead, fromRevision, revisionId, type DueEntry, type HeadMeta } from './request-documents';

/** Longest revision chain followed in one roll-forward; far beyond any real backlog. */
const MAX_ROLL_FORWARD = 1000;
/** Documents of the first layout carry no writer token. */
export const NO_TOKEN = '';

export function tokenOf(doc: { writer?: unknown } | null | undefined): string {
  return typeof doc?.writer === 'string' ? doc.writer : NO_TOKEN;
}

/** Where documents found superseded go (for the bulk removal). */
export interface SupersededSink {
  entry(id: string): void;
  head(id: string): void;
}

/**
 * Tells which heads and due entries stand for the newest version of their
 * request, by checking them against the revisions (see mongo-requests.ts):
 * a document counts only if the revision of its version carries its writer
 * token, and it is the newest if there is no revision after it. Every lookup
 * goes through the read batcher, so a whole list of documents costs a batched
 * read or two, not one read each.
 */
export class RequestVersions {
  constructor(
    private readonly revisions: ReadBatcher,
    private readonly latest: LatestRecords,
    private readonly superseded: SupersededSink,
    /** How long a document without its revision may belong to a writer still at work. */
    private readonly orphanAfterMs: number,
  ) {}

  /** Follows revisions newer than `known`. */
  async newest(known: KnownVersion): Promise<KnownVersion> {
    let current = known;
    for (let step = 0; step < MAX_ROLL_FORWARD; step++) {
      const revision = await this.revisions.get(revisionId(current.record.id, current.record.version + 1));
      if (!revision) break;
      // A newer version: its own entry is not known here; the newest head known still is the newest known.
      current = { record: fromRevision(revision), writer: revision.writer as string | undefined, headId: current.headId };
    }
    this.latest.remember(current);
    return current;
  }

  /** The requests these heads belong to, as they are now, by request id (requests with no real head are left out). */
  async ofHeads(docs: Document[]): Promise<Map<string, KnownVersion>> {
    const byRequest = new Map<string, { request: AccessRequest; meta: HeadMeta }[]>();
    for (const doc of docs) {
      const head = fromHead(doc);
      const list = byRequest.get(head.request.id) ?? [];
      list.push(head);
      byRequest.set(head.request.id, list);
    }
    const resolved = await Promise.all(
      [...byRequest.entries()].map(async ([id, heads]) => [id, await this.ofRequestHeads(id, heads)] as const),
    );
    return new Map(resolved.filter((entry): entry is readonly [string, KnownVersion] => entry[1] !== undefined));
  }

  /** The version a (near) due entry stands for, if it is the newest; otherwise null (and the entry is passed on as superseded). */
  async ofEntry(entry: DueEntry): Promise<KnownVersion | null> {
    const known = this.latest.get(entry.requestId);
    if (known && known.record.version > entry.version) return this.staleEntry(entry);
    const knownHere = known?.record.version === entry.version && (known.writer ?? NO_TOKEN) === entry.writer ? known : undefined;
    const [revision, next] = await Promise.all([
      knownHere ? null : this.revisions.get(revisionId(entry.requestId, entry.version)),
      this.revisions.get(revisionId(entry.requestId, entry.version + 1)),
    ]);
    if (next) {
      this.latest.remember({ record: fromRevision(next), writer: next.writer as string | undefined, headId: known?.headId });
      return this.staleEntry(entry);
    }
    if (knownHere) return { ...knownHere, entry: { id: entry._id, later: false } };
    if (!revision) {
      // Its writer is between the entry and the revision, or died there.
      return Date.now() - entry.writtenAt > this.orphanAfterMs ? this.staleEntry(entry) : null;
    }
    // An entry of a writer that lost the race for this version.
    if (tokenOf(revision) !== entry.writer) return this.staleEntry(entry);
    const current: KnownVersion = {
      record: fromRevision(revision),
      writer: revision.writer as string | undefined,
      headId: known?.headId,
      entry: { id: entry._id, later: false },
    };
    this.latest.remember(current);
    return current;
  }

  /** The newest real head of one request (others are passed on as superseded), rolled forward. */
  private async ofRequestHeads(id: string, heads: { request: AccessRequest; meta: HeadMeta }[]): Promise<KnownVersion | undefined> {
    heads.sort((a, b) => b.request.version - a.request.version);
    const revisions = await Promise.all(heads.map((head) => this.revisions.get(revisionId(id, head.request.version))));
    let chosen: KnownVersion | undefined;
    for (const [index, head] of heads.entries()) {
      const revision = revisions[index];
      if (!revision) {
        // Its writer is between the head and the revision, or died there.
        if (Date.now() - (head.meta.writtenAt ?? 0) > this.orphanAfterMs) this.superseded.head(head.meta._id);
      } else if (tokenOf(revision) !== (head.meta.writer ?? NO_TOKEN)) {
        this.superseded.head(head.meta._id); // a writer that lost the race for this version
      } else if (chosen) {
        this.superseded.head(head.meta._id); // an older version's head
      } else {
        chosen = { record: fromRevision(revision), writer: revision.writer as string | undefined, headId: head.meta._id };
      }
    }
    return chosen ? this.newest(chosen) : undefined;
  }

  private staleEntry(entry: DueEntry): null {
    this.superseded.entry(entry._id);
    return null;
  }
}
