import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

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
    fetch: raw as unknown as FetchLike,
    raw,
    close: () => dispatcher.close(),
  };
}

/** An AbortSignal that fires after ms, combined with an optional caller signal. */
export function timeoutSignal(ms: number, outer?: AbortSignal): AbortSignal {
  const timer = AbortSignal.timeout(Math.max(1, Math.floor(ms)));
  return outer ? AbortSignal.any([timer, outer]) : timer;
}
