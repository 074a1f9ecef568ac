import { defaultFixture, startLocalTenant, type LocalTenant } from '../../src/local-tenant';

// The local tenant for the sweep benchmark, in a process of its own so that
// its work does not run on the event loop of the sweep being measured.
// Started by sweep-tenant.ts with fork(); talks over the IPC channel:
//   child -> parent  { ready: M365 settings }
//   parent -> child  { stats: true }   child -> parent  { stats: { exchangeRequests, throttled } }
// Arguments: <mailboxes> <latency ms> <requests per second allowed>

export interface TenantSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  graphBaseUrl: string;
  exchangeBaseUrl: string;
  domain: string;
  caCertPem: string;
}

export interface TenantStats {
  /** Every request to the Exchange admin API, including those answered 429. */
  exchangeRequests: number;
  /** Requests answered 429 by the throttling limit. */
  throttled: number;
}

async function main(): Promise<void> {
  const [mailboxes, latencyMs, perSecond] = process.argv.slice(2).map(Number);
  if (![mailboxes, latencyMs, perSecond].every((n) => Number.isInteger(n) && n >= 0))
    throw new Error('usage: sweep-tenant-child <mailboxes> <latency ms> <requests per second>');
  const tenant: LocalTenant = await startLocalTenant({ fixture: defaultFixture({ extraMailboxes: mailboxes }), latencyMs });
  if (perSecond > 0) tenant.faults.rateLimit({ route: 'exchange', perSecond, retryAfterSeconds: 1 });
  const settings: TenantSettings = {
    tenantId: tenant.tenantId,
    clientId: tenant.clientId,
    clientSecret: tenant.clientSecret,
    authorityHost: tenant.authorityHost,
    graphBaseUrl: tenant.graphBaseUrl,
    exchangeBaseUrl: tenant.exchangeBaseUrl,
    domain: tenant.domain,
    caCertPem: tenant.caCertPem,
  };
  process.on('message', (message: { stats?: boolean; stop?: boolean }) => {
    if (message.stats) {
      const stats: TenantStats = { exchangeRequests: tenant.state.callCount('exchange'), throttled: tenant.faults.rateLimited };
      process.send?.({ stats });
    }
    if (message.stop) void tenant.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => void tenant.close().then(() => process.exit(0)));
  process.send?.({ ready: settings });
}

main().catch((error: unknown) => {
  process.stderr.write(`sweep bench tenant failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
