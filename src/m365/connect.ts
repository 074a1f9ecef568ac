import type { LocalTenant } from '../local-tenant/server';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { ActivitySearch } from './activity-search';
import type { AuditRecordSearch } from './audit-records';
import { loadCertificateCredential, MsalTokenProvider, type ClientCredential, type TokenProvider } from './auth/token-provider';
import { createTrustedFetch } from './auth/trusted-fetch';
import { scopeFor, validateM365Config, type M365Config } from './config';
import type { Directory, Mailer } from './directory';
import { ExchangeAdminApiClient } from './exchange-online/admin-api-client';
import { ExchangeOnlineAdmin } from './exchange-online/exchange-online-admin';
import { GraphApi } from './graph/graph-api';
import { GraphAuditLogSearch, type AuditLogSearchOptions } from './graph/audit-log-search';
import { GraphDirectory } from './graph/graph-directory';
import { GraphMailer } from './graph/graph-mailer';

export type { M365Config } from './config';

export interface M365Clients {
  directory: Directory;
  mailer: Mailer;
  /** ExchangeAdmin, plus listMailboxes() for sweeps. */
  exchange: ExchangeOnlineAdmin;
  activity: ActivitySearch;
  /** The same Purview audit search, for raw records over a window (admin-audit correlation). */
  auditRecords: AuditRecordSearch;
  /** The app's client ID: its own changes are in the audit log under it (AppId). */
  appId: string;
  tokens: TokenProvider;
  /** Also exposed for checks that need raw Graph calls (doctor). */
  graph: GraphApi;
  exchangeApi: ExchangeAdminApiClient;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

/** Knobs tests turn; production uses the defaults. */
export interface M365Overrides {
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  audit?: AuditLogSearchOptions;
  /** Exchange read-back after a change (default 4 attempts from 1 s). */
  verifyAttempts?: number;
  verifyBaseDelayMs?: number;
  foldersToScan?: string[];
}

/** Builds every Microsoft 365 client from one validated configuration. */
export async function createM365(cfg: M365Config, logger: Logger, overrides: M365Overrides = {}): Promise<M365Clients> {
  validateM365Config(cfg);
  const log = logger.child({ component: 'm365' });
  const http = createTrustedFetch({ caCertPem: cfg.caCertPem });
  const credential: ClientCredential = cfg.clientSecret
    ? { kind: 'secret', secret: cfg.clientSecret }
    : loadCertificateCredential(cfg.certificatePath!, cfg.certificateThumbprint);
  const requestTimeoutMs = cfg.requestTimeoutMs ?? 30_000;
  const budgetMs = cfg.callBudgetMs ?? 60_000;
  const tokens = new MsalTokenProvider({
    tenantId: cfg.tenantId,
    clientId: cfg.clientId,
    credential,
    authorityHost: cfg.authorityHost,
    scopes: { graph: scopeFor(cfg.graphBaseUrl), exchange: scopeFor(cfg.exchangeBaseUrl) },
    fetch: http.fetch,
    logger: log,
    requestTimeoutMs,
    budgetMs: Math.min(budgetMs, 30_000),
    clock: overrides.clock,
    sleep: overrides.sleep,
  });
  const graph = new GraphApi({
    baseUrl: cfg.graphBaseUrl,
    tokens,
    http,
    logger: log,
    requestTimeoutMs,
    budgetMs,
    clock: overrides.clock,
    sleep: overrides.sleep,
  });
  const exchangeApi = new ExchangeAdminApiClient({
    baseUrl: cfg.exchangeBaseUrl,
    tenantId: cfg.tenantId,
    tokens,
    fetch: http.fetch,
    logger: log,
    requestTimeoutMs,
    budgetMs,
    clock: overrides.clock,
    sleep: overrides.sleep,
    maxConcurrent: cfg.exchangeConcurrency,
  });
  const exchange = new ExchangeOnlineAdmin({
    api: exchangeApi,
    tenantDomain: cfg.serviceMailbox.split('@')[1],
    logger: log,
    foldersToScan: overrides.foldersToScan,
    verifyAttempts: overrides.verifyAttempts,
    verifyBaseDelayMs: overrides.verifyBaseDelayMs,
    sleep: overrides.sleep,
  });
  const auditSearch = new GraphAuditLogSearch(graph, { clock: overrides.clock, sleep: overrides.sleep, ...overrides.audit });
  return {
    directory: new GraphDirectory(graph, (upn) => exchange.hasMailbox(upn)),
    mailer: new GraphMailer(graph, cfg.serviceMailbox),
    exchange,
    activity: auditSearch,
    auditRecords: auditSearch,
    appId: cfg.clientId,
    tokens,
    graph,
    exchangeApi,
    close: () => http.close(),
  };
}

/** Settings that point every client at a running local tenant (trusting its certificate only here). */
export function m365ConfigForLocalTenant(t: LocalTenant): M365Config {
  return {
    tenantId: t.tenantId,
    clientId: t.clientId,
    clientSecret: t.clientSecret,
    authorityHost: t.authorityHost,
    graphBaseUrl: t.graphBaseUrl,
    exchangeBaseUrl: t.exchangeBaseUrl,
    serviceMailbox: `custodian@${t.domain}`,
    caCertPem: t.caCertPem,
  };
}
