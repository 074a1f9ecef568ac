import { GraphError as LibraryGraphError } from '@microsoft/microsoft-graph-client';
import { parseRetryAfter } from '../auth/retry-after';
import { TokenError } from '../auth/token-provider';

/**
 * A failed Graph call: the OData error code (e.g. Request_ResourceNotFound,
 * Authorization_RequestDenied), the HTTP status (0 when no answer arrived)
 * and whether trying again may help. Never carries tokens or request headers.
 */
export class GraphError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly transient: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

/** Turns whatever the Graph client threw into our GraphError. */
export function toGraphError(err: unknown, what: string): GraphError {
  if (err instanceof GraphError) return err;
  if (err instanceof TokenError) {
    return new GraphError(`${what}: ${err.message}`, `token:${err.code}`, 0, err.transient);
  }
  if (err instanceof LibraryGraphError) {
    const status = err.statusCode > 0 ? err.statusCode : 0;
    const headers = err.headers as { get?(name: string): string | null } | undefined;
    const retryAfterMs = parseRetryAfter(headers?.get?.('retry-after'));
    if (status === 0) {
      // No HTTP answer: connection refused/reset, TLS failure, timeout.
      const timedOut = err.code === 'TimeoutError' || err.code === 'AbortError';
      const code = timedOut ? 'timeout' : 'networkError';
      const detail = timedOut ? 'no answer in time' : 'connection failed';
      return new GraphError(`${what}: ${detail}.`, code, 0, true);
    }
    if (err.code === 'SyntaxError') {
      return new GraphError(
        `${what}: Graph answered HTTP ${status} with a body that is not valid JSON.`,
        'malformedResponse',
        status,
        status >= 500,
      );
    }
    const code = typeof err.code === 'string' && err.code ? err.code : `http${status}`;
    const serverMessage = typeof err.message === 'string' && err.message ? ` ${err.message}` : '';
    const transient = TRANSIENT_STATUS.has(status) || status >= 500;
    return new GraphError(`${what}: HTTP ${status} ${code}.${serverMessage}`, code, status, transient, retryAfterMs);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new GraphError(`${what}: ${message}`, 'clientError', 0, false);
}
