import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { M365Config } from '../../src/m365/config';
import type { TenantSettings, TenantStats } from './sweep-tenant-child';

export interface SweepTenant {
  config: M365Config;
  stats(): Promise<TenantStats>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/** Starts the benchmark's local tenant (sweep-tenant-child.ts) in its own process. */
export async function startSweepTenant(options: { mailboxes: number; latencyMs: number; perSecond: number }): Promise<SweepTenant> {
  const child: ChildProcess = fork(
    join(__dirname, 'sweep-tenant-child.ts'),
    [String(options.mailboxes), String(options.latencyMs), String(options.perSecond)],
    {
      execArgv: ['--require', 'tsx/cjs'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  const settings = await new Promise<TenantSettings>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the benchmark tenant did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the benchmark tenant exited with code ${code}`));
    });
    child.on('message', (message: { ready?: TenantSettings }) => {
      if (!message.ready) return;
      clearTimeout(timer);
      resolve(message.ready);
    });
  });
  return {
    config: {
      tenantId: settings.tenantId,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      authorityHost: settings.authorityHost,
      graphBaseUrl: settings.graphBaseUrl,
      exchangeBaseUrl: settings.exchangeBaseUrl,
      serviceMailbox: `custodian@${settings.domain}`,
      caCertPem: settings.caCertPem,
    },
    stats: () =>
      new Promise<TenantStats>((resolve) => {
        const listener = (message: { stats?: TenantStats }) => {
          if (!message.stats) return;
          child.off('message', listener);
          resolve(message.stats);
        };
        child.on('message', listener);
        child.send({ stats: true });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ stop: true });
      }),
  };
}
