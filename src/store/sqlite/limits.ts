/** Rejects a limit that is not a non-negative integer, naming the argument. */
export function requireLimit(limit: number, name = 'limit'): number {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(limit)}`);
  }
  return limit;
}
