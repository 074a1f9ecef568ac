import type { AccessRequest } from '../../domain/types';
import type { EntryRef } from './due-entries';

/** What this process knows of a request's newest version. */
export interface KnownVersion {
  record: AccessRequest;
  /** Writer token of that version (absent for revisions of the first layout). */
  writer?: string;
  /** _id of the newest head known (it may be of an earlier version: a lease alone writes no head). */
  headId?: string;
  /** This version's due entry, if it has one. */
  entry?: EntryRef;
}

/**
 * The newest version of each request this process has written or read, most
 * recently used last. Every version that ever existed stays in the revisions,
 * so what is known here never becomes wrong, only possibly not the newest:
 * writers find that out from the unique revision insert, readers by looking
 * for the next revision.
 */
export class LatestRecords {
  private readonly known = new Map<string, KnownVersion>();

  constructor(private readonly capacity = 10_000) {}

  get(id: string): KnownVersion | undefined {
    const entry = this.known.get(id);
    if (entry) {
      this.known.delete(id);
      this.known.set(id, entry);
    }
    return entry;
  }

  /** Keeps `entry` unless a newer version is known already. */
  remember(entry: KnownVersion): void {
    const id = entry.record.id;
    const current = this.known.get(id);
    if (current && current.record.version > entry.record.version) return;
    this.known.delete(id);
    this.known.set(id, {
      ...entry,
      headId: entry.headId ?? (current && current.record.version <= entry.record.version ? current.headId : undefined),
    });
    if (this.known.size > this.capacity) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  /** Someone else wrote a newer version than the one known here, content unknown. */
  forget(id: string): void {
    this.known.delete(id);
  }
}
