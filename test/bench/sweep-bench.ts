import { AfterAnswer } from '../../src/app/after-answer';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context';
import type { FindingCards } from '../../src/app/ports';
import { runSweep } from '../../src/app/drift/run-sweep';
import type { Notifier } from '../../src/app/ports';
import { RoleResolver } from '../../src/app/roles/role-resolver';
import { NoticeFiles } from '../../src/config/notice-templates';
import { AuditLog } from '../../src/audit/audit-log';
import { loadPolicies } from '../../src/config/policies/load-policies';
import { createM365 } from '../../src/m365/connect';
import { systemClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { printSweepReport, type SweepMeasurement } from './sweep-report';
import { startSweepTenant } from './sweep-tenant';

export interface SweepBenchOptions {
  /** Generated mailboxes per run, besides the fixture's 9 (default 2,000 and 20,000). */
  sizes?: number[];
  /** Answer time of the local tenant (default 50 ms). */
  latencyMs?: number;
  /** Throttling limit of the local tenant: Exchange requests per second before it answers 429 (default 150). */
  perSecond?: number;
  /** Mailboxes the sweep reads at once (default 16). */
  concurrency?: number;
  progress?: (line: string) => void;
}

const REPO_ROOT = join(__dirname, '..', '..');

/** The app as a sweep needs it; notices and cards go nowhere (the benchmark measures Exchange traffic). */
function benchContext(store: SqliteStore, m365: Awaited<ReturnType<typeof createM365>>): AppContext {
  const policies = loadPolicies(join(REPO_ROOT, 'bot', 'policies.yaml'));
  const quiet: Notifier = {
    postApprovalCard: async () => [],
    refreshCards: async () => undefined,
    tellRequester: async () => undefined,
    tellSecurity: async () => undefined,
    tellApprovers: async () => undefined,
    tellConversation: async () => false,
    tellReference: async () => false,
  };
  const audit = new AuditLog(store, systemClock, silentLogger);
  return {
    store,
    directory: m365.directory,
    mailer: m365.mailer,
    exchange: m365.exchange,
    activity: m365.activity,
    activityDelayMs: 0,
    notifier: quiet,
    audit,
    policies,
    roles: new RoleResolver(policies, m365.directory),
    clock: systemClock,
    logger: silentLogger,
    instanceId: 'sweep-bench',
    leaseMs: 120_000,
    notices: new NoticeFiles(join(REPO_ROOT, 'bot', 'notices')),
    afterAnswer: new AfterAnswer(audit, silentLogger),
  };
}

const noCards: FindingCards = { postFinding: async () => undefined, updateFinding: async () => undefined };

async function measure(
  mailboxes: number,
  options: Required<Omit<SweepBenchOptions, 'sizes' | 'progress'>>,
  progress: (line: string) => void,
): Promise<SweepMeasurement> {
  progress(
    `sweep: starting a local tenant with ${mailboxes} generated mailboxes (${options.latencyMs} ms per answer, ${options.perSecond} requests/s)`,
  );
  const tenant = await startSweepTenant({ mailboxes, latencyMs: options.latencyMs, perSecond: options.perSecond });
  const dir = mkdtempSync(join(tmpdir(), 'custodian-sweep-bench-'));
  const store = SqliteStore.open(join(dir, 'bench.sqlite'));
  // Real sleeps: Retry-After is waited out as in production.
  const m365 = await createM365(tenant.config, silentLogger);
  try {
    const ctx = benchContext(store, m365);
    const before = await tenant.stats();
    let lastReport = Date.now();
    const started = process.hrtime.bigint();
    const sweep = await runSweep(
      ctx,
      noCards,
      { cron: '0 3 * * *', allowRules: [], concurrency: options.concurrency, cardsPerSweep: 0 },
      { kind: 'on-demand' },
      {
        onProgress: (now) => {
          if (Date.now() - lastReport < 10_000) return;
          lastReport = Date.now();
          progress(`sweep: ${now.read} of ${now.inScope} mailboxes read`);
        },
      },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = await tenant.stats();
    const requests = after.exchangeRequests - before.exchangeRequests;
    progress(`sweep: ${sweep.read} of ${sweep.inScope} read in ${seconds.toFixed(1)} s`);
    return {
      mailboxes: sweep.inScope,
      read: sweep.read,
      unread: sweep.unreadCount,
      seconds,
      requests,
      throttled: after.throttled - before.throttled,
      status: sweep.status,
    };
  } finally {
    await m365.close();
    await store.close();
    await tenant.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The drift sweep against the local tenant answering in 50 ms with a
 * throttling limit, for 2,000 and 20,000 mailboxes: time, Exchange requests
 * per mailbox, and how often Exchange throttled. Returns the printed table.
 */
export async function runSweepBench(options: SweepBenchOptions = {}): Promise<string> {
  const settings = { latencyMs: options.latencyMs ?? 50, perSecond: options.perSecond ?? 150, concurrency: options.concurrency ?? 16 };
  const progress = options.progress ?? ((line: string) => process.stderr.write(`bench: ${line}\n`));
  const rows: SweepMeasurement[] = [];
  for (const size of options.sizes ?? [2_000, 20_000]) rows.push(await measure(size, settings, progress));
  return printSweepReport(rows, settings);
}

if (require.main === module) {
  runSweepBench().then(
    (table) => {
      process.stdout.write(table);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`sweep bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
