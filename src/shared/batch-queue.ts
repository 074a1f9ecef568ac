/** One caller's item in a batch, and how to answer that caller. */
export interface Pending<T, R> {
  readonly item: T;
  /** True once resolve or reject was called. */
  readonly settled: boolean;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface BatchQueueOptions {
  /** Most items handed over at once. */
  maxBatch: number;
  /**
   * Start the first batch in the first caller's turn (alone), rather than once
   * the callers of the same tick have joined it.
   */
  startAtOnce?: boolean;
}

/**
 * Group commit: while one batch is being handled, the items that arrive
 * meanwhile wait and are handed over together as the next batch. `handle`
 * answers each caller; whoever it leaves unanswered hears of what it threw.
 */
export class BatchQueue<T, R> {
  private readonly waiting: Pending<T, R>[] = [];
  private running = false;

  constructor(
    private readonly handle: (batch: Pending<T, R>[]) => Promise<void>,
    private readonly options: BatchQueueOptions,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const pending = {
        item,
        settled: false,
        resolve: (result: R) => {
          pending.settled = true;
          resolve(result);
        },
        reject: (error: unknown) => {
          pending.settled = true;
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      };
      this.waiting.push(pending);
      if (this.running) return;
      this.running = true;
      if (this.options.startAtOnce) void this.drain();
      else queueMicrotask(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.options.maxBatch);
        try {
          await this.handle(batch);
        } catch (error) {
          for (const pending of batch) if (!pending.settled) pending.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
