import type { RecordChange, RecordRefusal } from '../../domain/review-record';
import type { Store, StoredRecord } from '../../store/store';
import { writeConditionally } from './conditional-write';

// Typed access to one kind of the store's generic records, used by access
// reviews and drift detection alike. Every change goes through mutate(), on
// the same conditional-write loop as mutateRequest.

export interface Versioned<T> {
  id: string;
  version: number;
  status: string;
  body: T;
}

export type Mutation<T> =
  | { ok: true; record: Versioned<T>; previous: Versioned<T>; event: string; details?: Record<string, unknown> }
  | { ok: false; refusal: RecordRefusal; record: Versioned<T> | null };

export class RecordRepo<T extends object> {
  constructor(
    private readonly store: Store,
    readonly kind: string,
    /** The indexed status of a body. */
    private readonly statusOf: (body: T) => string,
  ) {}

  /** DuplicateKeyError when the id is taken: "claim by create". */
  async insert(id: string, body: T): Promise<Versioned<T>> {
    return this.typed(await this.store.insertRecord({ kind: this.kind, id, status: this.statusOf(body), body: plain(body) }));
  }

  async get(id: string): Promise<Versioned<T> | null> {
    const record = await this.store.getRecord(this.kind, id);
    return record ? this.typed(record) : null;
  }

  /** Every record in the statuses given (all when absent), by id, read page by page. */
  async list(statuses?: string[], max = 100_000): Promise<Versioned<T>[]> {
    const out: Versioned<T>[] = [];
    let afterId: string | undefined;
    while (out.length < max) {
      const page = await this.store.listRecords(this.kind, { statuses, afterId, limit: Math.min(500, max - out.length) });
      out.push(...page.map((record) => this.typed(record)));
      if (page.length < 500) break;
      afterId = page[page.length - 1].id;
    }
    return out;
  }

  async mutate(id: string, decide: (current: T) => RecordChange<T>): Promise<Mutation<T>> {
    const outcome = await writeConditionally<Versioned<T>, RecordChange<T>, RecordRefusal>({
      what: `${this.kind} ${id}`,
      read: () => this.get(id),
      decide: (current) => decide(current.body),
      write: async (change, current) => {
        const stored = await this.store.updateRecord(this.kind, id, current.version, {
          status: this.statusOf(change.next),
          body: plain(change.next),
        });
        return stored ? this.typed(stored) : null;
      },
    });
    if (outcome.kind === 'missing')
      return { ok: false, refusal: { code: 'not-found', message: `Nothing is known as ${id}.` }, record: null };
    if (outcome.kind === 'refused') return { ok: false, refusal: outcome.refusal, record: outcome.current };
    return {
      ok: true,
      record: outcome.stored,
      previous: outcome.previous,
      event: outcome.decision.event,
      details: outcome.decision.details,
    };
  }

  private typed(record: StoredRecord): Versioned<T> {
    return { id: record.id, version: record.version, status: record.status, body: record.body as T };
  }
}

/** Bodies are stored as JSON: undefined fields are dropped here so both stores agree. */
function plain<T extends object>(body: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}
