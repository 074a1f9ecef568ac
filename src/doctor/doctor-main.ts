import { startLocalTenant, type LocalTenant } from '../local-tenant';
import { createM365, m365ConfigForLocalTenant } from '../m365/connect';
import type { M365Config } from '../m365/config';
import { silentLogger, type Logger } from '../shared/logger';
import { m365ConfigFromEnv } from './env-config';
import { renderReport, runDoctor } from './run-doctor';

const USAGE = `Usage: npm run doctor [-- --local-tenant]

Checks that the configured Microsoft 365 tenant gives Custodian what it needs:
tokens for Graph and Exchange Online, each Graph permission, and the app's
Exchange role. Settings come from M365_* environment variables
(M365_TENANT_ID, M365_CLIENT_ID, M365_CLIENT_SECRET or M365_CERTIFICATE_PATH,
M365_SERVICE_MAILBOX, ...). With --local-tenant (or CUSTODIAN_DOCTOR_LOCAL=1)
it starts the local tenant and checks against that instead.
Exit code 0 when every required check passes, 1 otherwise, 2 on bad usage.`;

/** The doctor as a function: arguments and environment in, exit code out. */
export async function doctorMain(
  argv: string[],
  env: NodeJS.ProcessEnv,
  print: (text: string) => void,
  logger: Logger = silentLogger,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    print(USAGE);
    return 0;
  }
  const unknown = argv.find((a) => a !== '--local-tenant');
  if (unknown) {
    print(`Unknown argument "${unknown}".\n\n${USAGE}`);
    return 2;
  }
  const local = argv.includes('--local-tenant') || env.CUSTODIAN_DOCTOR_LOCAL === '1';
  let tenant: LocalTenant | undefined;
  try {
    let cfg: M365Config;
    if (local) {
      tenant = await startLocalTenant();
      cfg = m365ConfigForLocalTenant(tenant);
      print(`Checking the local tenant at ${tenant.authorityHost}.\n`);
    } else {
      cfg = m365ConfigFromEnv(env);
    }
    let m365;
    try {
      m365 = await createM365({ ...cfg, callBudgetMs: 20_000, requestTimeoutMs: 10_000 }, logger);
    } catch (err) {
      print(`${(err as Error).message}\n\n${USAGE}`);
      return 1;
    }
    try {
      const report = await runDoctor(m365, cfg);
      print(renderReport(report));
      return report.healthy ? 0 : 1;
    } finally {
      await m365.close();
    }
  } finally {
    await tenant?.close();
  }
}
