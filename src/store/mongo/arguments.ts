import type { ClaimOptions } from '../store';

// Same rules as the SQLite store (src/store/sqlite/limits.ts); the contract suite holds both to them.

/** Rejects a limit that is not a non-negative integer, naming the argument. */
export function requireLimit(limit: number, name = 'limit'): number {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(limit)}`);
  }
  return limit;
}

export function requireClaimOptions(options: ClaimOptions): void {
  if (!Number.isFinite(options.now)) throw new RangeError(`claimDue: now must be a finite number, got ${String(options.now)}`);
  if (typeof options.owner !== 'string' || options.owner === '') throw new RangeError('claimDue: owner must be a non-empty string');
  if (!Number.isInteger(options.leaseMs) || options.leaseMs <= 0) {
    throw new RangeError(`claimDue: leaseMs must be a positive integer, got ${String(options.leaseMs)}`);
  }
  requireLimit(options.limit, 'claimDue: limit');
}

/** MongoDB database names: non-empty, at most 63 bytes, none of / \ . " $ space or NUL. */
export function requireDatabaseName(dbName: string): string {
  if (typeof dbName !== 'string' || dbName === '' || /[/\\. "$\0]/.test(dbName) || Buffer.byteLength(dbName) > 63) {
    throw new RangeError(`MongoDB database name ${JSON.stringify(dbName)} is invalid: use 1-63 characters without / \\ . " $ or spaces`);
  }
  return dbName;
}
