import {
  AuthenticationHandler,
  Client,
  TelemetryHandler,
  type AuthenticationProvider,
  type Context,
  type GraphRequest,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import { retry } from '../../shared/retry';
import type { TokenProvider } from '../auth/token-provider';
import { timeoutSignal, type TrustedFetch } from '../auth/trusted-fetch';
import { GraphError, toGraphError } from './graph-error';

export interface GraphApiOptions {
  /** e.g. https://graph.microsoft.com (the client adds /v1.0). */
  baseUrl: string;
  tokens: TokenProvider;
  http: TrustedFetch;
  logger: Logger;
  /** One HTTP request (default 30 s). */
  requestTimeoutMs?: number;
  /** One call including retries (default 60 s). */
  budgetMs?: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
}

/** Final middleware: sends the request through our CA-aware fetch with a timeout. */
class TrustedHttpHandler implements Middleware {
  constructor(
    private readonly http: TrustedFetch,
    private readonly timeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    const options = (context.options ?? {}) as Record<string, unknown>;
    const signal = timeoutSignal(this.timeoutMs, options.signal as AbortSignal | undefined);
    context.response = (await this.http.raw(context.request as string, { ...options, signal })) as Response;
  }
}

/**
 * The Graph client with our transport, plus one way to run an operation:
 * throttling (429/503 + Retry-After) and transient failures are retried within
 * a time budget, everything else becomes a GraphError.
 */
export class GraphApi {
  readonly client: Client;
  private readonly timeoutMs: number;

  constructor(private readonly options: GraphApiOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    const tokens = options.tokens;
    const authProvider: AuthenticationProvider = { getAccessToken: () => tokens.getToken('graph') };
    const host = new URL(options.baseUrl).hostname;
    this.client = Client.initWithMiddleware({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      defaultVersion: 'v1.0',
      // The auth middleware only attaches tokens to Graph hosts or these.
      customHosts: new Set([host]),
      middleware: [new AuthenticationHandler(authProvider), new TelemetryHandler(), new TrustedHttpHandler(options.http, this.timeoutMs)],
    });
  }

  /** Runs op; `api(path)` gives a request bound to this attempt's deadline. */
  async call<T>(what: string, op: (api: (path: string) => GraphRequest) => Promise<T>): Promise<T> {
    return retry(
      async ({ remainingMs }) => {
        try {
          // Fetch the token first so that token failures keep their own meaning.
          await this.options.tokens.getToken('graph');
          const signal = timeoutSignal(Math.min(this.timeoutMs, Math.max(remainingMs, 1)));
          return await op((path) => this.client.api(path).options({ signal }));
        } catch (err) {
          throw toGraphError(err, what);
        }
      },
      {
        baseDelayMs: 500,
        maxDelayMs: 10_000,
        budgetMs: this.options.budgetMs ?? 60_000,
        clock: this.options.clock,
        sleep: this.options.sleep,
        isRetryable: (err) => err instanceof GraphError && err.transient,
        retryAfterMs: (err) => (err instanceof GraphError ? err.retryAfterMs : undefined),
        onRetry: (n) =>
          this.options.logger.warn(
            { what, attempt: n.attempt, delayMs: n.delayMs, code: (n.error as GraphError).code, status: (n.error as GraphError).status },
            'Graph call failed, retrying',
          ),
      },
    );
  }
}
