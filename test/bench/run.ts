import { loadavg } from 'node:os';
import { mongoTestAttempts, mongoTestUri } from '../support/mongo-server';
import { measureRevocation } from './revocation';
import { printRevocationReport } from './revocation-report';
import { measureTurnLatency } from './turn-latency';
import { printTurnReport } from './turn-report';
import { runSweepBench } from './sweep-bench';
import { runReportBench } from './report-bench';

// npm run bench [-- --only turns|revocation|sweep|report]: measures on loopback and prints the tables (progress on stderr).

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

type Part = 'turns' | 'revocation' | 'sweep' | 'report';

function only(argv: string[]): Part | undefined {
  const at = argv.indexOf('--only');
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value !== 'turns' && value !== 'revocation' && value !== 'sweep' && value !== 'report')
    throw new Error(`--only needs "turns", "revocation", "sweep" or "report", got "${value ?? ''}"`);
  return value;
}

async function main(): Promise<void> {
  const which = only(process.argv.slice(2));
  const load = () =>
    loadavg()
      .map((value) => value.toFixed(1))
      .join(' ');
  process.stdout.write(`# Custodian bench (${new Date().toISOString()}, Node ${process.version}, load average at start ${load()})\n`);
  if (which === undefined || which === 'turns') {
    const turns = await measureTurnLatency({ concurrency: 50, sequentialTurns: 100, turnsPerConversation: 4, progress });
    process.stdout.write(printTurnReport(turns));
  }
  if (which === undefined || which === 'revocation') {
    // The same server discovery as the MongoDB store tests: MONGODB_URI, a cached mongod, or FerretDB from ~/go/bin.
    const uri = await mongoTestUri();
    const revocation = await measureRevocation({
      uri,
      noServerReason: mongoTestAttempts().join('; '),
      instanceCounts: [1, 2],
      total: 10_000,
      expiring: 1_000,
      tenantLatencyMs: 50,
      windowAfterExpiryMs: 30_000,
      progress,
    });
    process.stdout.write(printRevocationReport(revocation));
  }
  if (which === undefined || which === 'sweep') process.stdout.write(await runSweepBench({ progress }));
  if (which === undefined || which === 'report') process.stdout.write(await runReportBench({ records: 100_000, progress }));
  process.stdout.write(`\nload average at the end: ${load()}\n`);
}

// Exit handlers stop what the bench started (bot processes, a FerretDB it launched); signals must run them too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
