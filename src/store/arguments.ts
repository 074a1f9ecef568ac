import type { ClaimOptions } from './store';

// Argument rules every Store implementation applies; the contract suite holds them to it.

/** Rejects a limit that is not a non-negative integer, naming the argument. */
export function requireLimit(limit: number, name = 'limit'): number {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(limit)}`);
  }
  return limit;
}

export function requireClaimOptions(options: ClaimOptions): void {
  if (!Number.isFinite(options.now)) throw new RangeError(`claimDue: now must be a finite number, got ${String(options.now)}`);
  if (options.horizon !== undefined && !(Number.isFinite(options.horizon) && options.horizon >= options.now)) {
    throw new RangeError(`claimDue: horizon must be a finite number not before now, got ${String(options.horizon)}`);
  }
  if (typeof options.owner !== 'string' || options.owner === '') throw new RangeError('claimDue: owner must be a non-empty string');
  if (!Number.isInteger(options.leaseMs) || options.leaseMs <= 0) {
    throw new RangeError(`claimDue: leaseMs must be a positive integer, got ${String(options.leaseMs)}`);
  }
  requireLimit(options.limit, 'claimDue: limit');
}

/** Rejects an expected version that is not an integer. */
export function requireVersion(expectedVersion: number, what: string): number {
  if (!Number.isInteger(expectedVersion)) {
    throw new RangeError(`${what}: expectedVersion must be an integer, got ${String(expectedVersion)}`);
  }
  return expectedVersion;
}
