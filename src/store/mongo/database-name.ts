/** MongoDB database names: non-empty, at most 63 bytes, none of / \ . " $ space or NUL. */
export function requireDatabaseName(dbName: string): string {
  if (typeof dbName !== 'string' || dbName === '' || /[/\\. "$\0]/.test(dbName) || Buffer.byteLength(dbName) > 63) {
    throw new RangeError(`MongoDB database name ${JSON.stringify(dbName)} is invalid: use 1-63 characters without / \\ . " $ or spaces`);
  }
  return dbName;
}
