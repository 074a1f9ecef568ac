import type { AccessRequest } from '../../domain/types';

export interface HeadWriterOptions {
  /** Write only after no request changed for this long... */
  quietMs?: number;
  /** ...or once a head has waited this long. */
  maxDelayMs?: number;
  /** Heads written at the same time. */
  concurrency?: number;
}

interface Pending {
  record: AccessRequest;
  since: number;
}

/**
 * Brings request heads up to date in the background. The revision insert has
 * decided a change before the head is touched, and readers roll a stale head
 * forward, so a head write can wait: a burst of changes (a thousand grants
 * expiring at once) goes through without them, and several changes of one
 * request end in one write. Lists first flush the heads they depend on, so an
 * instance always lists its own changes.
 */
export class HeadWriter {
  private readonly pending = new Map<string, Pending>();
  /** Heads being written now, by request id. */
  private readonly inflight = new Map<string, { record: AccessRequest; done: Promise<void> }>();
  private timer: NodeJS.Timeout | null = null;
  private lastActivity = 0;
  private closed = false;
  private readonly quietMs: number;
  private readonly maxDelayMs: number;
  private readonly concurrency: number;

  constructor(
    private readonly write: (record: AccessRequest) => Promise<void>,
    private readonly onError: (error: unknown, record: AccessRequest) => void,
    options: HeadWriterOptions = {},
  ) {
    this.quietMs = options.quietMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.concurrency = options.concurrency ?? 2;
  }

  /** A request changed (or is about to): heads wait until things are quiet. */
  noteActivity(): void {
    this.lastActivity = Date.now();
  }

  schedule(record: AccessRequest): void {
    const known = this.pending.get(record.id);
    if (known && known.record.version >= record.version) return;
    this.pending.set(record.id, { record, since: known?.since ?? Date.now() });
    this.arm(this.quietMs);
  }

  get backlog(): number {
    return this.pending.size + this.inflight.size;
  }

  /** Writes now the pending heads `which` selects (all when absent), and waits for those being written. */
  async flush(which: (record: AccessRequest) => boolean = () => true): Promise<void> {
    const chosen = [...this.pending.values()].filter((entry) => which(entry.record));
    for (const entry of chosen) this.pending.delete(entry.record.id);
    const running = [...this.inflight.values()].filter((entry) => which(entry.record)).map((entry) => entry.done);
    await Promise.all([...running, this.writeAll(chosen)]);
  }

  /** Stops the background writes and writes what is pending, within `budgetMs`. */
  async close(budgetMs = 10_000): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, budgetMs);
      timer.unref?.();
    });
    await Promise.race([this.flush(), budget]);
    clearTimeout(timer);
  }

  private arm(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.pending.size === 0 || this.closed) return;
    const now = Date.now();
    // Map order is first-scheduled first, and a re-scheduled head keeps its place.
    const oldest = this.pending.values().next().value?.since ?? now;
    const quietFor = now - this.lastActivity;
    if (quietFor < this.quietMs && now - oldest < this.maxDelayMs) {
      this.arm(Math.min(this.quietMs - quietFor, this.maxDelayMs - (now - oldest)) + 1);
      return;
    }
    const slice = [...this.pending.values()].slice(0, 50);
    for (const entry of slice) this.pending.delete(entry.record.id);
    await this.writeAll(slice);
    if (this.pending.size > 0) this.arm(0);
  }

  private async writeAll(entries: Pending[]): Promise<void> {
    const queue = [...entries];
    const workers = Array.from({ length: Math.min(this.concurrency, queue.length) }, async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) await this.writeOne(entry);
    });
    await Promise.all(workers);
  }

  private async writeOne(entry: Pending): Promise<void> {
    const { record } = entry;
    const previous = this.inflight.get(record.id)?.done;
    const done = (async () => {
      // One write per request at a time, in version order.
      if (previous) await previous;
      try {
        await this.write(record);
      } catch (error) {
        this.onError(error, record);
        // Try again later unless a newer version is waiting already.
        const known = this.pending.get(record.id);
        if (!known || known.record.version < record.version) this.pending.set(record.id, { record, since: entry.since });
        this.arm(this.maxDelayMs);
      }
    })();
    this.inflight.set(record.id, { record, done });
    await done;
    if (this.inflight.get(record.id)?.done === done) this.inflight.delete(record.id);
  }
}
