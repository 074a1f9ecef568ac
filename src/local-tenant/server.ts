import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Faults, type FaultRule } from './faults';
import { latencyFor, NO_LATENCY, parseLatencyProfile, type LatencyProfile } from './latency';
import type { CaptureFile } from './capture-format';
import { realism as makeRealism, type Realism } from './realism';
import { Replay } from './replay';
import { loadFixture, type FixtureInput } from './fixture';
import { matchExchange } from './exchange-routes';
import { matchGraph } from './graph-routes';
import { graphError, json, send, type LocalRequest, type LocalResponse, type Route } from './http';
import { TenantState } from './state';
import { localTls } from './tls';
import { matchIdentity } from './token-routes';
import { TokenIssuer } from './tokens';

export interface LocalTenantOptions {
  /** 0 or absent: any free port. */
  port?: number;
  /** Fixture file path or object (default: src/local-tenant/fixture.json). */
  fixture?: string | FixtureInput;
  /** Delay added to every answer. */
  latencyMs?: number;
  /** Per-kind answer times (Exchange changes, Exchange reads, Graph); default none. See parseLatencyProfile. */
  latency?: LatencyProfile | string;
  /** Switches from the realistic answers (the default) towards the polite ones; see realism.ts. */
  realism?: Partial<Realism>;
  /** Answers taken from a capture file, where one matches the request (see replay.ts). */
  replay?: CaptureFile;
}

/** The latency profile named by CUSTODIAN_LOCAL_TENANT_LATENCY ("off", "real", "real,exchangeChange=4000", ...). */
export function latencyFromEnv(env: NodeJS.ProcessEnv = process.env): LatencyProfile {
  return parseLatencyProfile(env.CUSTODIAN_LOCAL_TENANT_LATENCY);
}

/** A running local tenant: one HTTPS server for the token endpoint, Graph and the Exchange admin API. */
export interface LocalTenant {
  /** https://127.0.0.1:port (use as the authority host). */
  authorityHost: string;
  /** https://127.0.0.1:port/{tenantId} */
  authorityUrl: string;
  /** https://127.0.0.1:port/graph (Graph client base URL; token scope `${graphBaseUrl}/.default`). */
  graphBaseUrl: string;
  /** https://127.0.0.1:port/exchange (token scope `${exchangeBaseUrl}/.default`). */
  exchangeBaseUrl: string;
  tenantId: string;
  domain: string;
  /** The server's self-signed certificate; trust it as a CA. */
  caCertPem: string;
  clientId: string;
  clientSecret: string;
  state: TenantState;
  faults: Faults;
  /** Answer times by kind; tests may replace it while the tenant runs. */
  latency: LatencyProfile;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 5 * 1024 * 1024;

export async function startLocalTenant(options: LocalTenantOptions = {}): Promise<LocalTenant> {
  const tls = await localTls();
  const fixture = loadFixture(options.fixture);
  const state = new TenantState(fixture);
  state.realism = makeRealism(options.realism);
  const faults = new Faults();
  faults.latencyMs = options.latencyMs ?? 0;
  const issuer = new TokenIssuer(tls.keyPem, tls.publicKeyPem, state.tenantId);

  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  // Filled in once the port is known.
  const urls = { origin: '', graph: '', exchange: '' };
  let replay: Replay | undefined;

  const route = (req: LocalRequest): Route | undefined => {
    const [first, ...rest] = req.segments;
    if (first === 'graph') return matchGraph(req, rest, { state, issuer, graphBaseUrl: urls.graph });
    if (first === 'exchange') return matchExchange(req, rest, { state, issuer, exchangeBaseUrl: urls.exchange });
    return matchIdentity(req, {
      state,
      issuer,
      origin: urls.origin,
      resources: {
        // Fact 15: Mail.Send granted through Exchange RBAC for Applications is not in the token's roles.
        [urls.graph]: () => new Set([...state.app.graphRoles].filter((r) => !(state.realism.mailSendViaRbac && r === 'Mail.Send'))),
        [urls.exchange]: () => state.app.exchangeRoles,
      },
    });
  };

  const handle = async (incoming: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(incoming.url ?? '/', urls.origin);
    let segments: string[];
    try {
      segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return send(res, graphError(400, 'BadRequest', 'The request path is not valid URL encoding.'));
    }
    const req: LocalRequest = { method: incoming.method ?? 'GET', url, segments, headers: incoming.headers, body };
    const matched = route(req);
    if (!matched) return send(res, graphError(404, 'NotFound', `No route for ${req.method} ${url.pathname}.`));
    for (const tag of matched.tags) state.countCall(tag);
    if (state.askedFor) state.countAskedFor(askedFor(req, matched.tags));

    const limited = faults.overLimit(matched.tags, Date.now());
    if (limited) {
      if (faults.latencyMs > 0) await delay(faults.latencyMs);
      return send(res, throttled(limited.retryAfterSeconds, state.realism));
    }
    const fault = faults.take(matched.tags);
    const latency = faults.latencyMs + latencyFor(tenant.latency, matched.tags) + (fault?.kind === 'slow' ? (fault.delayMs ?? 0) : 0);
    if (latency > 0) await delay(latency);
    if (fault?.kind === 'drop') {
      incoming.socket.destroy();
      return;
    }
    const faulty = fault ? faultAnswer(fault, matched.tags.includes('token'), state.realism) : undefined;
    if (faulty) return send(res, faulty);
    const replayed = replay?.answerFor(matched.tags);
    if (replayed) return send(res, replayed);
    let answer: LocalResponse;
    try {
      answer = await matched.run();
    } catch (err) {
      answer = graphError(500, 'InternalServerError', `Local tenant failure: ${(err as Error).message}`);
    }
    send(res, answer);
  };

  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (incoming, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        send(res, graphError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
        incoming.destroy();
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => {
      if (size > MAX_BODY) return;
      handle(incoming, res, Buffer.concat(chunks).toString('utf8')).catch(() => {
        if (!res.headersSent) send(res, graphError(500, 'InternalServerError', 'Local tenant failure.'));
      });
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that aborts mid-answer is normal in fault tests.
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  urls.origin = `https://127.0.0.1:${port}`;
  urls.graph = `${urls.origin}/graph`;
  urls.exchange = `${urls.origin}/exchange`;
  if (options.replay) replay = new Replay(options.replay, { address: state.app.serviceMailbox, origin: urls.origin });

  const tenant: LocalTenant = {
    authorityHost: urls.origin,
    authorityUrl: `${urls.origin}/${state.tenantId}`,
    graphBaseUrl: urls.graph,
    exchangeBaseUrl: urls.exchange,
    tenantId: state.tenantId,
    domain: state.domain,
    caCertPem: tls.certPem,
    clientId: state.app.clientId,
    clientSecret: state.app.clientSecret,
    state,
    faults,
    latency: typeof options.latency === 'string' ? parseLatencyProfile(options.latency) : (options.latency ?? { ...NO_LATENCY }),
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return tenant;
}

/** 429; fact 9: real throttling often carries no Retry-After, so the header comes only when asked for or in polite mode. */
function throttled(retryAfterSeconds: number | undefined, realism: Realism): LocalResponse {
  const seconds = retryAfterSeconds ?? (realism.throttleRetryAfter ? 1 : undefined);
  const headers: Record<string, string> = seconds !== undefined ? { 'retry-after': String(seconds) } : {};
  return graphError(
    429,
    'TooManyRequests',
    seconds !== undefined ? 'Too many requests; retry after the time in Retry-After.' : 'Too many requests.',
    headers,
  );
}

function faultAnswer(fault: FaultRule, tokenEndpoint: boolean, realism: Realism): LocalResponse | undefined {
  if (tokenEndpoint && (fault.kind === 'throttle' || fault.kind === 'error')) {
    // Entra answers in its own error format, which MSAL parses.
    const status = fault.kind === 'throttle' ? 429 : (fault.status ?? 500);
    const retryAfter = fault.kind === 'throttle' ? (fault.retryAfterSeconds ?? 1) : fault.retryAfterSeconds;
    return json(
      status,
      {
        error: 'temporarily_unavailable',
        error_description: 'AADSTS50196: The server is temporarily unavailable (local tenant fault).',
        error_codes: [50196],
      },
      retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {},
    );
  }
  switch (fault.kind) {
    case 'throttle':
      return throttled(fault.retryAfterSeconds, realism);
    case 'error': {
      const headers: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      const code = fault.status === 503 ? 'ServiceUnavailable' : fault.status === 504 ? 'GatewayTimeout' : 'InternalServerError';
      return graphError(fault.status ?? 500, code, 'The service failed to handle the request (local tenant fault).', headers);
    }
    case 'ignore':
      return json(200, { 'adminapi.warnings@odata.type': '#Collection(String)', '@adminapi.warnings': [], value: [] });
    case 'malformed':
      return { status: 200, text: '{"value": [{"id": "a0000000-', headers: { 'content-type': 'application/json; charset=utf-8' } };
    default:
      return undefined;
  }
}

/**
 * What one request asks for: the cmdlet, mailbox and parameters for Exchange
 * (the inbox's and the calendar's permissions are two questions), otherwise
 * the method and path (and a token's scope).
 */
function askedFor(req: LocalRequest, tags: readonly string[]): string {
  const cmdlet = tags.find((tag) => tag.startsWith('exchange:') && tag.includes('-'));
  if (cmdlet) return [cmdlet, ...tags.filter((tag) => tag.startsWith('exchange-mailbox:')), cmdletParameters(req.body)].join(' ');
  const scope = tags.includes('token') ? new URLSearchParams(req.body).get('scope') : null;
  return `${req.method} ${req.url.pathname}${scope ? ` ${scope}` : ''}`;
}

/** The cmdlet's parameters in a stable order, as text ("" when the body is not a cmdlet call). */
function cmdletParameters(body: string): string {
  try {
    const parameters = (JSON.parse(body) as { CmdletInput?: { Parameters?: Record<string, unknown> } }).CmdletInput?.Parameters ?? {};
    return JSON.stringify(Object.fromEntries(Object.entries(parameters).sort(([a], [b]) => a.localeCompare(b))));
  } catch {
    return '';
  }
}
