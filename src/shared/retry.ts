import { systemClock, type Clock } from './clock';

// The project's one retry helper: exponential backoff with jitter, a server's
// Retry-After honoured, and a hard time budget that is never exceeded.

export interface RetryAttempt {
  /** 1 for the first call. */
  attempt: number;
  /** Time left in the budget when this attempt starts; callers use it as a request timeout. */
  remainingMs: number;
}

export interface RetryNotice {
  /** The attempt that just failed (1-based). */
  attempt: number;
  delayMs: number;
  error: unknown;
  /** True when the delay came from the server (Retry-After). */
  serverDelay: boolean;
}

export interface RetryOptions {
  /** Maximum number of calls, including the first. Default: unlimited (the budget decides). */
  attempts?: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total time allowed, measured from the first call. */
  budgetMs: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  isRetryable: (err: unknown) => boolean;
  /** The server's requested wait (Retry-After), if the error carries one. */
  retryAfterMs?: (err: unknown) => number | undefined;
  onRetry?: (notice: RetryNotice) => void;
  /** Source of randomness for jitter, in [0, 1). */
  random?: () => number;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deterministic exponential delay for the given 1-based attempt, capped at maxMs.
 * Pure, so that callers scheduling a retry later (a persisted due time) can use it.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  if (!Number.isFinite(attempt) || attempt < 1) throw new RangeError(`attempt must be >= 1, got ${attempt}`);
  if (baseMs < 0 || maxMs < 0) throw new RangeError('delays must not be negative');
  const exponent = Math.min(attempt - 1, 52);
  return Math.min(maxMs, baseMs * 2 ** exponent);
}

/** "Equal jitter": keeps at least half of the delay so that retries never bunch at zero. */
export function jitter(delayMs: number, random: () => number = Math.random): number {
  const half = delayMs / 2;
  return Math.round(half + random() * half);
}

/**
 * Calls fn until it succeeds, the error is not retryable, the attempts run out,
 * or the next wait would overrun the budget; then rethrows the last error.
 */
export async function retry<T>(fn: (attempt: RetryAttempt) => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const maxAttempts = options.attempts ?? Number.POSITIVE_INFINITY;
  if (maxAttempts < 1) throw new RangeError('attempts must be >= 1');
  if (options.budgetMs <= 0) throw new RangeError('budgetMs must be positive');

  const started = clock.now();
  for (let attempt = 1; ; attempt++) {
    const remainingMs = Math.max(0, options.budgetMs - (clock.now() - started));
    try {
      return await fn({ attempt, remainingMs });
    } catch (error) {
      if (attempt >= maxAttempts || !options.isRetryable(error)) throw error;
      const serverWait = options.retryAfterMs?.(error);
      const serverDelay = serverWait !== undefined && Number.isFinite(serverWait) && serverWait >= 0;
      const delayMs = serverDelay ? Math.ceil(serverWait) : jitter(backoffDelay(attempt, options.baseDelayMs, options.maxDelayMs), random);
      const elapsed = clock.now() - started;
      if (elapsed + delayMs >= options.budgetMs) throw error;
      options.onRetry?.({ attempt, delayMs, error, serverDelay });
      await sleep(delayMs);
    }
  }
}
