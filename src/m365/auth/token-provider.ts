import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AuthError, ConfidentialClientApplication, LogLevel, type Configuration } from '@azure/msal-node';
import type { Logger } from '../../shared/logger';
import type { Clock } from '../../shared/clock';
import { retry } from '../../shared/retry';
import { MsalNetworkClient } from './msal-network';
import type { FetchLike } from './trusted-fetch';

/** The APIs the app calls, one token audience each. */
export type M365Resource = 'graph' | 'exchange';

/** App-only access tokens. Implementations cache; callers ask before every request. */
export interface TokenProvider {
  getToken(resource: M365Resource): Promise<string>;
}

/** A token could not be obtained. The message never contains the secret or a token. */
export class TokenError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly transient: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

export type ClientCredential = { kind: 'secret'; secret: string } | { kind: 'certificate'; privateKeyPem: string; thumbprint: string };

export interface MsalTokenProviderOptions {
  tenantId: string;
  clientId: string;
  credential: ClientCredential;
  /** e.g. https://login.microsoftonline.com */
  authorityHost: string;
  /** One scope per resource, e.g. https://graph.microsoft.com/.default */
  scopes: Record<M365Resource, string>;
  fetch: FetchLike;
  logger: Logger;
  requestTimeoutMs?: number;
  budgetMs?: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** The wall clock that token lifetimes are judged by (tests move it). */
  wallClock?: () => number;
}

// Hosts MSAL knows (it carries their metadata); any other host gets explicit
// metadata so that MSAL never asks Microsoft's discovery endpoint about it.
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

/** Reads a PEM file holding the private key and, optionally, the certificate. */
export function loadCertificateCredential(path: string, thumbprint?: string): ClientCredential {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`certificatePath: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const key = pem.match(/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/);
  if (!key) throw new Error(`certificatePath: ${path} holds no PEM private key`);
  let print = thumbprint?.replace(/[^0-9a-f]/gi, '');
  if (!print) {
    const cert = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/);
    if (!cert) throw new Error(`certificateThumbprint is required when ${path} holds no certificate`);
    print = new X509Certificate(cert[0]).fingerprint256.replace(/:/g, '');
  }
  return { kind: 'certificate', privateKeyPem: key[0], thumbprint: print };
}

/** A token is handed out again until this long before it expires (or until MSAL's own refresh time, if sooner). */
const REUSE_MARGIN_MS = 5 * 60_000;

/**
 * Client-credentials tokens through MSAL. Each token is kept and handed out
 * again until shortly before it expires: every Exchange and Graph request
 * asks, and even a cache hit in MSAL costs about a millisecond of CPU, which
 * a burst of revocations would pay thousands of times.
 */
export class MsalTokenProvider implements TokenProvider {
  private readonly app: ConfidentialClientApplication;
  private readonly inFlight = new Map<M365Resource, Promise<string>>();
  private readonly kept = new Map<M365Resource, { token: string; reuseUntil: number }>();

  constructor(private readonly options: MsalTokenProviderOptions) {
    const authorityBase = options.authorityHost.replace(/\/+$/, '');
    const authority = `${authorityBase}/${options.tenantId}`;
    const host = new URL(authorityBase).host;
    const auth: Configuration['auth'] = { clientId: options.clientId, authority };
    if (options.credential.kind === 'secret') {
      auth.clientSecret = options.credential.secret;
    } else {
      const print = options.credential.thumbprint;
      auth.clientCertificate =
        print.length === 64
          ? { thumbprintSha256: print, privateKey: options.credential.privateKeyPem }
          : { thumbprint: print, privateKey: options.credential.privateKeyPem };
    }
    if (!MICROSOFT_AUTHORITY_HOSTS.has(new URL(authorityBase).hostname)) {
      auth.knownAuthorities = [host];
      auth.authorityMetadata = JSON.stringify({
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        issuer: `${authority}/v2.0`,
        jwks_uri: `${authority}/discovery/v2.0/keys`,
      });
      auth.cloudDiscoveryMetadata = JSON.stringify({
        tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
    }
    this.app = new ConfidentialClientApplication({
      auth,
      system: {
        networkClient: new MsalNetworkClient(options.fetch, options.requestTimeoutMs ?? 30_000),
        // Our retry helper decides about retries, with one budget.
        disableInternalRetries: true,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message) => {
            // MSAL warns about routine things (e.g. no client_info for app tokens); keep them at debug.
            if (level === LogLevel.Error) options.logger.warn({ msal: true }, message);
            else options.logger.debug({ msal: true }, message);
          },
        },
      },
    });
  }

  /** One token request per resource at a time: concurrent callers share it (MSAL's cache serves them only once it is filled). */
  getToken(resource: M365Resource): Promise<string> {
    const kept = this.kept.get(resource);
    if (kept && this.now() < kept.reuseUntil) return Promise.resolve(kept.token);
    const pending = this.inFlight.get(resource);
    if (pending) return pending;
    const request = this.requestToken(resource).finally(() => this.inFlight.delete(resource));
    this.inFlight.set(resource, request);
    return request;
  }

  private async requestToken(resource: M365Resource): Promise<string> {
    const scope = this.options.scopes[resource];
    const result = await retry(
      async () => {
        try {
          return await this.app.acquireTokenByClientCredential({ scopes: [scope] });
        } catch (err) {
          throw toTokenError(err, scope);
        }
      },
      {
        baseDelayMs: 500,
        maxDelayMs: 8_000,
        budgetMs: this.options.budgetMs ?? 30_000,
        attempts: 4,
        clock: this.options.clock,
        sleep: this.options.sleep,
        isRetryable: (err) => err instanceof TokenError && err.transient,
        retryAfterMs: (err) => (err instanceof TokenError ? err.retryAfterMs : undefined),
      },
    );
    if (!result?.accessToken) throw new TokenError(`The token endpoint returned no access token for ${scope}.`, 'no_token', false);
    const expiresAt = result.expiresOn?.getTime();
    if (expiresAt !== undefined) {
      const reuseUntil = Math.min(expiresAt - REUSE_MARGIN_MS, result.refreshOn?.getTime() ?? Infinity);
      this.kept.set(resource, { token: result.accessToken, reuseUntil });
    }
    return result.accessToken;
  }

  /** MSAL's expiry times are wall-clock times, whatever clock the rest of the app runs on. */
  private now(): number {
    return this.options.wallClock?.() ?? Date.now();
  }
}

const TRANSIENT_CODES = new Set(['network_error', 'temporarily_unavailable', 'service_unavailable', 'endpoints_resolution_error']);

function toTokenError(err: unknown, scope: string): TokenError {
  if (err instanceof TokenError) return err;
  if (err instanceof AuthError) {
    const { status, retryAfterMs } = err as { status?: number; retryAfterMs?: number };
    const code = typeof err.errorCode === 'string' && err.errorCode ? err.errorCode : 'server_error';
    const transient = TRANSIENT_CODES.has(code) || status === 429 || (status !== undefined && status >= 500);
    // Entra's description is an AADSTS text (no secrets); keep its first line.
    const description = (err.errorMessage || err.message).match(/Description: (.*?)(?: - Correlation ID:|$)/)?.[1];
    const detail = (description ?? err.errorMessage ?? err.message).split(/\r?\n/)[0];
    return new TokenError(`Token request for ${scope} failed (${code}): ${detail}`, code, transient, retryAfterMs);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TokenError(`Token request for ${scope} failed: ${message}`, 'unknown', false);
}
