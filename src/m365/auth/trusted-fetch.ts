import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';

// All Microsoft 365 HTTP traffic goes through one fetch. When a CA certificate
// is configured (the local tenant, a TLS-inspecting proxy), only these clients
// trust it; the process-wide trust store is left alone.

export interface FetchResponse {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null; forEach(cb: (value: string, key: string) => void): void };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export type FetchLike = (url: string, init?: FetchInit) => Promise<FetchResponse>;

export interface TrustedFetchOptions {
  /** PEM of an extra certificate authority to trust (in addition to the system roots). */
  caCertPem?: string;
  connectTimeoutMs?: number;
}

/** The raw undici fetch with our dispatcher; Graph's middleware needs the full Response type. */
export interface TrustedFetch {
  fetch: FetchLike;
  /** Same dispatcher, undici's own Request/Response types (for the Graph client). */
  raw: (input: string, init?: Record<string, unknown>) => Promise<unknown>;
  close(): Promise<void>;
}

export function createTrustedFetch(options: TrustedFetchOptions = {}): TrustedFetch {
  const connect: Record<string, unknown> = { timeout: options.connectTimeoutMs ?? 10_000 };
  if (options.caCertPem) {
    // Keep the public roots too, so one config can talk to both a proxy and Microsoft. Built once:
    // a context from ~150 PEM roots costs milliseconds of CPU, which every new connection would pay.
    connect.secureContext = createSecureContext({ ca: [...rootCertificates, options.caCertPem] });
  }
  const dispatcher = new Agent({ connect, keepAliveTimeout: 4_000 });
  const raw = (input: string, init: Record<string, unknown> = {}) =>
    undiciFetch(input, { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1]);
  return {
    fetch: (url, init) => requestOnce(dispatcher, url, init),
    raw,
    close: () => dispatcher.close(),
  };
}

/**
 * Our own calls (Exchange, tokens) through undici's request API rather than
 * fetch: the same connection pool without WHATWG streams and Response objects,
 * which cost a burst of revocations about a fifth of its CPU. Like fetch it
 * answers every status; unlike fetch it never follows redirects (none of our
 * endpoints redirect, and a token must not follow one elsewhere).
 */
async function requestOnce(dispatcher: Agent, url: string, init: FetchInit = {}): Promise<FetchResponse> {
  const target = new URL(url);
  const { statusCode, headers, body } = await dispatcher.request({
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
    headers: init.headers,
    body: init.body,
    signal: init.signal,
  });
  const value = (name: string): string | null => {
    const found = headers[name.toLowerCase()];
    if (found === undefined) return null;
    return Array.isArray(found) ? found.join(', ') : found;
  };
  return {
    status: statusCode,
    ok: statusCode >= 200 && statusCode < 300,
    headers: {
      get: value,
      forEach: (cb) => {
        for (const key of Object.keys(headers)) cb(value(key) ?? '', key);
      },
    },
    text: () => body.text(),
    json: () => body.json(),
  };
}

/** An AbortSignal that fires after ms, combined with an optional caller signal. */
export function timeoutSignal(ms: number, outer?: AbortSignal): AbortSignal {
  const timer = AbortSignal.timeout(Math.max(1, Math.floor(ms)));
  return outer ? AbortSignal.any([timer, outer]) : timer;
}
