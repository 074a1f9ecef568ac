import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { M365Config } from '../../src/m365/config';
import { captureOutput, exited, spawnTs } from '../support/node-process';

export interface TenantProcess {
  config: M365Config;
  stop(): Promise<void>;
}

/**
 * The local tenant in a process of its own (src/cli/local-tenant.ts), so
 * that its work does not run on the event loop of the bot being measured.
 */
export async function startTenantProcess(options: { extraMailboxes: number; latencyMs?: number }): Promise<TenantProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'custodian-bench-tenant-'));
  const caFile = join(dir, 'ca.pem');
  const child = spawnTs(
    'src/cli/local-tenant.ts',
    ['--extra-mailboxes', String(options.extraMailboxes), '--latency-ms', String(options.latencyMs ?? 0), '--ca-file', caFile],
    {},
  );
  const output = captureOutput(child);
  // Never leave the tenant behind when this process ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const settings = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local tenant did not start within 30 s:\n${output()}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local tenant exited with code ${code}:\n${output()}`));
    });
    child.stdout!.on('data', () => {
      const text = output();
      if (!text.includes('Press Ctrl+C')) return;
      clearTimeout(timer);
      resolve(Object.fromEntries([...text.matchAll(/^\s+(M365_[A-Z_]+)=(.*)$/gm)].map((match) => [match[1], match[2].trim()])));
    });
  });
  return {
    config: {
      tenantId: settings.M365_TENANT_ID,
      clientId: settings.M365_CLIENT_ID,
      clientSecret: settings.M365_CLIENT_SECRET,
      authorityHost: settings.M365_AUTHORITY_HOST,
      graphBaseUrl: settings.M365_GRAPH_BASE_URL,
      exchangeBaseUrl: settings.M365_EXCHANGE_BASE_URL,
      serviceMailbox: settings.M365_SERVICE_MAILBOX,
      caCertPem: readFileSync(settings.M365_CA_CERT_FILE, 'utf8'),
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
