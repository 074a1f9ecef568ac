import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { DuplicateKeyError, StoreUnavailableError } from '../store';

const DUPLICATE_KEY = 11000;

// Server codes meaning "try again later / elsewhere": the node is stepping down,
// shutting down or unreachable, or (Cosmos DB) the request rate is exceeded.
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  16500, // Cosmos DB: request rate too large
]);

/** A server error, or one write error of a bulk write, saying the _id (or another unique key) is taken. */
export function isDuplicateKey(err: unknown): boolean {
  if (err instanceof MongoServerError) return err.code === DUPLICATE_KEY;
  // The driver does not export WriteError at run time; its shape is { index, code }.
  const writeError = err as { index?: unknown; code?: unknown } | null;
  return typeof writeError?.index === 'number' && writeError.code === DUPLICATE_KEY;
}

/**
 * Whether a duplicate-key error names the unique index `index` on `field`:
 * MongoDB reports the key pattern, servers that do not say the index in the message.
 */
export function isDuplicateOn(err: unknown, index: string, field: string): boolean {
  if (!isDuplicateKey(err)) return false;
  const { keyPattern, message } = err as { keyPattern?: Record<string, unknown>; message?: unknown };
  if (keyPattern && field in keyPattern) return true;
  return typeof message === 'string' && new RegExp(`\\b${index}\\b`).test(message);
}

/** A bulk write that failed as a whole (not per document) carries the driver's error inside. */
function unwrapBulk(err: unknown): unknown {
  if (err instanceof MongoBulkWriteError && [err.writeErrors].flat().length === 0 && err.errorResponse instanceof Error)
    return err.errorResponse;
  return err;
}

// Socket errors the driver can pass on unwrapped (e.g. EPIPE writing to a connection the peer has just closed).
const SOCKET_ERRORS = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

function isSocketError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && SOCKET_ERRORS.has(code);
}

/** The connection broke after the command may have been sent: whether the server applied it is unknown. */
export function isOutcomeUnknown(thrown: unknown): boolean {
  const err = unwrapBulk(thrown);
  return err instanceof MongoNetworkError || isSocketError(err);
}

function isUnavailable(thrown: unknown): boolean {
  const err = unwrapBulk(thrown);
  if (
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoNotConnectedError ||
    isSocketError(err)
  ) {
    return true;
  }
  return err instanceof MongoServerError && typeof err.code === 'number' && UNAVAILABLE_CODES.has(err.code);
}

/**
 * Translates a driver error into the Store's vocabulary. `where` names the
 * server (hosts only, never credentials) and `what` the operation.
 */
export function translateMongoError(err: unknown, what: string, where: string): Error {
  if (isDuplicateKey(err)) return new DuplicateKeyError(`${what}: the key already exists`);
  if (isUnavailable(err)) {
    return new StoreUnavailableError(`MongoDB at ${where} unavailable during ${what} (${(err as Error).name})`, err);
  }
  return err instanceof Error ? err : new Error(`${what} failed: ${String(err)}`);
}
