import './shared/quiet-warnings';
import type { LocalTenant } from './local-tenant';
import { ConfigError, loadConfig } from './config/app-config';
import { PolicyFileError } from './config/policies/policy-error';
import { connectTenant, StartupCheckError } from './server/connect-tenant';
import { startCustodian, type RunningCustodian } from './server/start-custodian';
import { createLogger } from './shared/logger';
import { StoreUnavailableError } from './store/store';

export interface Started {
  custodian: RunningCustodian;
  /** The simulated tenant, in local mode without a configured tenant. */
  local?: LocalTenant;
  stop(): Promise<void>;
}

/** Reads the environment, connects to the tenant (or the simulated one) and starts the bot. */
export async function runFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<Started> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel, config.logFormat);
  const tenant = await connectTenant(config, logger, env.CUSTODIAN_LOCAL_TENANT_PORT ? Number(env.CUSTODIAN_LOCAL_TENANT_PORT) : undefined);
  try {
    const custodian = await startCustodian({ config, m365: tenant.services, logger });
    return {
      custodian,
      local: tenant.local,
      async stop() {
        await custodian.stop();
        await tenant.close();
      },
    };
  } catch (error) {
    await tenant.close();
    throw error;
  }
}

/** Start-up failures the operator can fix get a plain message and a non-zero exit. */
export function explainStartupFailure(error: unknown): string {
  if (
    error instanceof ConfigError ||
    error instanceof PolicyFileError ||
    error instanceof StoreUnavailableError ||
    error instanceof StartupCheckError
  )
    return error.message;
  return `Custodian could not start: ${error instanceof Error ? error.message : String(error)}`;
}

if (require.main === module) {
  runFromEnvironment().then(
    (started) => {
      const shutdown = () => {
        started.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (error: unknown) => {
      console.error(explainStartupFailure(error));
      process.exit(1);
    },
  );
}
