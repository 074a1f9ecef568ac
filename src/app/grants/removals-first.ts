/**
 * Access ends first, paperwork after: in a burst of expiries each
 * revocation's cards and notices wait until no removal is under way (or
 * `maxWaitMs` has passed), so the Exchange removals queued behind them do
 * not share the process with hundreds of Teams sends. Nothing is dropped;
 * a notice only comes a little later.
 */
export class RemovalsFirst {
  private underway = 0;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly maxWaitMs = 5_000) {}

  /** Counts a removal as under way until the returned function is called (once is enough; more calls do nothing). */
  begin(): () => void {
    this.underway++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.underway === 0) for (const wake of [...this.waiting]) wake();
    };
  }

  /** Resolves when no removal is under way, or after maxWaitMs. */
  settled(): Promise<void> {
    if (this.underway === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.maxWaitMs);
      timer.unref?.();
      this.waiting.add(wake);
    });
  }

  get removalsUnderway(): number {
    return this.underway;
  }
}

/**
 * Runs a revocation counted as under way; `beforeNotices` ends the count for
 * it and waits for the others, and is to be awaited once the removal's
 * outcome is stored and before its cards and notices.
 */
export async function removalFirst<T>(
  removals: RemovalsFirst | undefined,
  work: (beforeNotices: () => Promise<void>) => Promise<T>,
): Promise<T> {
  if (!removals) return work(() => Promise.resolve());
  const end = removals.begin();
  try {
    return await work(async () => {
      end();
      await removals.settled();
    });
  } finally {
    end();
  }
}
