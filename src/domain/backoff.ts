/** Delay before revocation attempt n+1 (n >= 1): 30 s doubling to at most 15 min. */
export function revokeRetryDelayMs(attempts: number, baseMs = 30_000, maxMs = 15 * 60_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/** After this many failed revocation attempts the security team is asked to act by hand. */
export const MANUAL_ACTION_AFTER_ATTEMPTS = 3;

/** While a revocation keeps failing, the manual-action notice is repeated this often. */
export const MANUAL_ACTION_REPEAT_MS = 4 * 60 * 60_000;
