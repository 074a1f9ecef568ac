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

const RECORD_KIND = /^[a-z][a-z0-9-]{0,39}$/;

/** Rejects a record kind or id that the stores could not all keep (kinds never contain ':'), naming the argument. */
export function requireRecordKey(kind: string, id: string, what: string): void {
  if (typeof kind !== 'string' || !RECORD_KIND.test(kind))
    throw new RangeError(`${what}: kind must be lower-case letters, digits and '-', got ${JSON.stringify(kind)}`);
  if (typeof id !== 'string' || id === '' || id.length > 200)
    throw new RangeError(`${what}: id must be a non-empty string of at most 200 characters`);
}

/** Rejects a record status that is not a non-empty string, or a body that is not a plain object. */
export function requireRecordContent(next: { status: string; body: unknown }, what: string): void {
  if (typeof next.status !== 'string' || next.status === '') throw new RangeError(`${what}: status must be a non-empty string`);
  const body = next.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new RangeError(`${what}: body must be an object`);
}
