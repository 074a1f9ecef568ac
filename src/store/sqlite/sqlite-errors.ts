import { DuplicateKeyError, OpenRequestExistsError, StoreUnavailableError } from '../store';

// SQLite result codes (primary part before the first '_' extension) that mean
// "the database cannot serve us right now", as opposed to a bug in the caller.
const UNAVAILABLE_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_PROTOCOL',
]);

function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

function primaryCode(code: string): string {
  const second = code.indexOf('_', 'SQLITE_'.length);
  return second === -1 ? code : code.slice(0, second);
}

/**
 * Translates a better-sqlite3 error into the Store's error vocabulary.
 * `what` names the operation so the message says what could not be done.
 */
export function translateSqliteError(err: unknown, what: string): Error {
  const code = sqliteCode(err);
  // The index requests_one_open_per_mailbox, which SQLite names by its columns.
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && /requests\.requester_id, requests\.mailbox/.test((err as Error).message)) {
    return new OpenRequestExistsError(`${what}: the requester already has an open request for this mailbox`);
  }
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new DuplicateKeyError(`${what}: the key already exists`);
  }
  if (code !== undefined && UNAVAILABLE_CODES.has(primaryCode(code))) {
    return new StoreUnavailableError(`SQLite store unavailable during ${what} (${code})`, err);
  }
  // Node's file-system errors while preparing the database folder.
  const errno = (err as NodeJS.ErrnoException | null)?.code;
  if (err instanceof Error && typeof errno === 'string' && /^E[A-Z]+$/.test(errno)) {
    return new StoreUnavailableError(`SQLite store unavailable during ${what} (${errno})`, err);
  }
  // better-sqlite3 throws a TypeError once the connection is closed.
  if (err instanceof TypeError && /database connection is not open/i.test(err.message)) {
    return new StoreUnavailableError(`SQLite store is closed (${what})`, err);
  }
  return err instanceof Error ? err : new Error(`${what} failed: ${String(err)}`);
}
