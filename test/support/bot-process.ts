import type { ChildProcess } from 'node:child_process';
import type { LocalTenant } from '../../src/local-tenant';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { captureOutput, exited, spawnTs } from './node-process';

export interface BotProcessOptions {
  tenant: LocalTenant;
  /** File holding the tenant's CA certificate (M365_CA_CERT_FILE). */
  caFile: string;
  mongodbUri: string;
  mongodbDb: string;
  instanceId: string;
  port: number;
  dataDir: string;
  leaseMs?: number;
  schedulerIntervalMs?: number;
  env?: Record<string, string>;
  /** Run the compiled entry point (dist/main.js, npm run build) with npm run serve's heap flags, instead of src/main.ts through tsx. */
  compiled?: { flags: string[] };
}

export interface BotProcess {
  instanceId: string;
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait (graceful shutdown). */
  stop(): Promise<void>;
  /** SIGKILL and wait: no shutdown code runs. */
  kill(): Promise<void>;
}

/** The production entry point (src/main.ts) in its own process, pointed at a local tenant it did not start. */
export async function startBotProcess(options: BotProcessOptions): Promise<BotProcess> {
  const { tenant } = options;
  const env = {
    CUSTODIAN_MODE: 'local',
    M365_TENANT_ID: tenant.tenantId,
    M365_CLIENT_ID: tenant.clientId,
    M365_CLIENT_SECRET: tenant.clientSecret,
    M365_CERTIFICATE_PATH: undefined,
    M365_AUTHORITY_HOST: tenant.authorityHost,
    M365_GRAPH_BASE_URL: tenant.graphBaseUrl,
    M365_EXCHANGE_BASE_URL: tenant.exchangeBaseUrl,
    M365_SERVICE_MAILBOX: `custodian@${tenant.domain}`,
    M365_CA_CERT_FILE: options.caFile,
    MONGODB_URI: options.mongodbUri,
    MONGODB_DB: options.mongodbDb,
    CUSTODIAN_DATA_DIR: options.dataDir,
    CUSTODIAN_INSTANCE_ID: options.instanceId,
    CUSTODIAN_LEASE_MS: options.leaseMs ? String(options.leaseMs) : undefined,
    CUSTODIAN_SCHEDULER_INTERVAL_MS: options.schedulerIntervalMs ? String(options.schedulerIntervalMs) : undefined,
    PORT: String(options.port),
    LOG_LEVEL: 'warn',
    // Not what these processes measure; a correlation run would only add audit searches in the background.
    CUSTODIAN_TRACE_CRON: 'off',
    ...options.env,
  };
  const child = options.compiled
    ? spawn(process.execPath, [...options.compiled.flags, join(__dirname, '..', '..', 'dist', 'main.js')], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawnTs('src/main.ts', [], env);
  const output = captureOutput(child);
  // Never leave a bot behind when this process ends (e.g. a timeout killed the bench or test).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const url = `http://127.0.0.1:${options.port}`;
  const bot: BotProcess = {
    instanceId: options.instanceId,
    url,
    child,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited(child);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited(child);
    },
  };
  try {
    await waitReady(url, child, 120_000);
  } catch (error) {
    await bot.kill();
    throw new Error(`${options.instanceId} did not become ready: ${(error as Error).message}\n${output()}`, { cause: error });
  }
  return bot;
}

/** Polls /readyz until it answers 200 (store reachable, tokens obtained, a scheduler round done). */
async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode})`);
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`/readyz not 200 within ${timeoutMs} ms (last: ${last})`);
}
