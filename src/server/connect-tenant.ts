import type { AppConfig } from '../config/app-config';
import type { LocalTenant } from '../local-tenant';
import { createM365, m365ConfigForLocalTenant, type M365Clients } from '../m365/connect';
import type { Logger } from '../shared/logger';
import type { M365Services } from './start-custodian';
import { renderReport, runDoctor } from '../doctor/run-doctor';

/** The start-up check against the tenant found something required missing. */
export class StartupCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupCheckError';
  }
}

export interface ConnectedTenant {
  services: M365Services;
  clients: M365Clients;
  /** The simulated tenant, in local mode. */
  local?: LocalTenant;
  close(): Promise<void>;
}

/**
 * The real Microsoft 365 connectors, pointed at the configured tenant, or (local
 * mode with no tenant configured) at a simulated tenant started here that speaks the same wire formats.
 */
export async function connectTenant(config: AppConfig, logger: Logger, localPort?: number): Promise<ConnectedTenant> {
  // CUSTODIAN_LOCAL_TENANT_LATENCY=real (or "real,exchangeChange=4000") makes the simulated tenant as slow as a real one.
  // The simulated tenant (and what it needs: certificates, fixtures) is loaded only when it runs.
  const local = config.m365 ? undefined : await startSimulatedTenant(localPort);
  const m365Config = { ...(local ? m365ConfigForLocalTenant(local) : config.m365!), exchangeConcurrency: config.exchangeConcurrency };
  const clients = await createM365(m365Config, logger);
  if (config.mode === 'production') {
    // Fail closed: a tenant missing a permission or role would refuse grants or, worse, revocations.
    const report = await runDoctor(clients, m365Config);
    logger.info({ doctor: report.results }, 'start-up check against the tenant');
    if (!report.healthy) {
      await clients.close();
      throw new StartupCheckError(`The tenant is not ready for Custodian:\n${renderReport(report)}`);
    }
  }
  return {
    services: {
      directory: clients.directory,
      mailer: clients.mailer,
      exchange: clients.exchange,
      activity: clients.activity,
      auditRecords: clients.auditRecords,
      appId: clients.appId,
      checkTokens: async () => {
        await clients.tokens.getToken('graph');
        await clients.tokens.getToken('exchange');
      },
    },
    clients,
    local,
    async close() {
      await clients.close();
      await local?.close();
    },
  };
}

async function startSimulatedTenant(port?: number): Promise<LocalTenant> {
  // require, not import(): under tsx an import() is resolved as ESM, which needs file extensions.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { latencyFromEnv, startLocalTenant } = require('../local-tenant') as typeof import('../local-tenant');
  return startLocalTenant({ port, latency: latencyFromEnv() });
}
