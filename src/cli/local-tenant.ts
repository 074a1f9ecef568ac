import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultFixture, startLocalTenant, type FixtureInput } from '../local-tenant';
import { loadFixture } from '../local-tenant/fixture';

// Runs the local Microsoft 365 tenant on its own and prints how to point the app at it.
// npx tsx src/cli/local-tenant.ts [--port 8443] [--fixture path.json] [--extra-mailboxes 2000] [--latency-ms 50]

const USAGE = 'Usage: tsx src/cli/local-tenant.ts [--port N] [--fixture FILE] [--extra-mailboxes N] [--latency-ms N] [--ca-file FILE]';

function parse(argv: string[]): { port: number; fixture?: string; extra?: number; latency: number; caFile: string } {
  const out = {
    port: 0,
    fixture: undefined as string | undefined,
    extra: undefined as number | undefined,
    latency: 0,
    caFile: resolve('data/local-tenant-ca.pem'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const number = (name: string) => {
      const n = Number(value);
      if (value === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${name} needs a whole number, got "${value ?? ''}"`);
      return n;
    };
    switch (flag) {
      case '--port':
        out.port = number('--port');
        break;
      case '--fixture':
        if (!value) throw new Error('--fixture needs a file path');
        out.fixture = value;
        break;
      case '--extra-mailboxes':
        out.extra = number('--extra-mailboxes');
        break;
      case '--latency-ms':
        out.latency = number('--latency-ms');
        break;
      case '--ca-file':
        if (!value) throw new Error('--ca-file needs a file path');
        out.caFile = resolve(value);
        break;
      default:
        throw new Error(`Unknown argument "${flag}"`);
    }
    i++;
  }
  return out;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const base: FixtureInput = args.fixture ? (loadFixture(args.fixture) as FixtureInput) : defaultFixture();
  const fixture = args.extra === undefined ? base : { ...base, extraMailboxes: args.extra };
  const tenant = await startLocalTenant({ port: args.port, fixture, latencyMs: args.latency });
  mkdirSync(join(args.caFile, '..'), { recursive: true });
  writeFileSync(args.caFile, tenant.caCertPem);
  process.stdout.write(
    [
      `Local Microsoft 365 tenant listening on ${tenant.authorityHost}`,
      `  authority:  ${tenant.authorityUrl}`,
      `  Graph:      ${tenant.graphBaseUrl}/v1.0`,
      `  Exchange:   ${tenant.exchangeBaseUrl}/adminapi/v2.0/${tenant.tenantId}`,
      `  mailboxes:  ${tenant.state.mailboxes.size}`,
      '',
      'Settings for the app (its CA certificate is trusted only by the Microsoft 365 clients):',
      `  M365_TENANT_ID=${tenant.tenantId}`,
      `  M365_CLIENT_ID=${tenant.clientId}`,
      `  M365_CLIENT_SECRET=${tenant.clientSecret}`,
      `  M365_AUTHORITY_HOST=${tenant.authorityHost}`,
      `  M365_GRAPH_BASE_URL=${tenant.graphBaseUrl}`,
      `  M365_EXCHANGE_BASE_URL=${tenant.exchangeBaseUrl}`,
      `  M365_SERVICE_MAILBOX=custodian@${tenant.domain}`,
      `  M365_CA_CERT_FILE=${args.caFile}`,
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const stop = () => {
    tenant.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`local-tenant: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
