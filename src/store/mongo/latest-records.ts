import type { AccessRequest } from '../../domain/types';

/**
 * The newest version of each request this process has written or read, most
 * recently used last. Versions only grow and every version that ever existed
 * stays in the revisions, so "this version exists" never goes stale; what may
 * be stale is "it is the newest", which writers find out from the unique
 * revision insert and readers by looking for the next revision.
 */
export class LatestRecords {
  private readonly records = new Map<string, AccessRequest>();

  constructor(private readonly capacity = 20_000) {}

  get(id: string): AccessRequest | undefined {
    const record = this.records.get(id);
    if (record) {
      this.records.delete(id);
      this.records.set(id, record);
    }
    return record;
  }

  /** Keeps `record` unless a newer version of it is known already. */
  remember(record: AccessRequest): void {
    const known = this.records.get(record.id);
    if (known && known.version > record.version) return;
    this.records.delete(record.id);
    this.records.set(record.id, record);
    if (this.records.size > this.capacity) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
  }

  /** Someone else wrote a newer version than the one known here, content unknown. */
  forget(id: string): void {
    this.records.delete(id);
  }
}
