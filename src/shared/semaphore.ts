/**
 * At most `limit` holders at once; the others wait in arrival order, urgent
 * ones before the rest.
 */
export class Semaphore {
  private active = 0;
  private readonly urgent: (() => void)[] = [];
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`Semaphore limit must be a positive whole number, got ${String(limit)}`);
  }

  async run<T>(work: () => Promise<T>, urgent = false): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => (urgent ? this.urgent : this.waiting).push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.urgent.shift() ?? this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Holders now, for tests and diagnostics. */
  get inUse(): number {
    return this.active;
  }

  /** Waiting now, for tests and diagnostics. */
  get queued(): number {
    return this.urgent.length + this.waiting.length;
  }
}
