import { loadavg } from 'node:os';
import { mongoTestUri, noMongoServerReason } from '../setup/mongo-server';
import { measureRevocation } from './revocation';
import { printRevocationReport } from './revocation-report';
import { measureStoreLifecycle, printLifecycleReport } from './store-lifecycle';
import { measureTurnLatency } from './turn-latency';
import { printTurnReport } from './turn-report';
import { runSweepBench } from './sweep-bench';
import { runReportBench } from './report-bench';
import { measureLatencyProfiles, printLatencyProfileReport } from './latency-profile';
import { runTraceBench } from './trace-bench';
import { runProcessBench } from './process-bench';
import { compiledBot } from './serve-flags';

// npm run bench [-- --only turns|lifecycle|revocation|sweep|report|latency|trace|process]: measures on loopback and prints the tables (progress on stderr).

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

const PARTS = ['turns', 'lifecycle', 'revocation', 'sweep', 'report', 'latency', 'trace', 'process'] as const;
type Part = (typeof PARTS)[number];

function only(argv: string[]): Part | undefined {
  const at = argv.indexOf('--only');
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (!PARTS.includes(value as Part)) throw new Error(`--only needs one of ${PARTS.join(', ')}, got "${value ?? ''}"`);
  return value as Part;
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
  // The same server as the MongoDB suites: MONGODB_URI, else mongo-java-server started here.
  if (which === undefined || which === 'lifecycle') {
    progress('one request lifecycle on the MongoDB store');
    process.stdout.write(printLifecycleReport(await measureStoreLifecycle(await mongoTestUri(), noMongoServerReason())));
  }
  if (which === undefined || which === 'revocation') {
    const uri = await mongoTestUri();
    const revocation = await measureRevocation({
      uri,
      noServerReason: noMongoServerReason(),
      instanceCounts: [1, 2],
      total: 10_000,
      expiring: 1_000,
      tenantLatencyMs: 50,
      windowAfterExpiryMs: 30_000,
      progress,
      // The bot as production runs it, once built (npm run build); else src/main.ts through tsx.
      compiled: compiledBot(),
    });
    process.stdout.write(printRevocationReport(revocation));
  }
  if (which === undefined || which === 'sweep') process.stdout.write(await runSweepBench({ progress }));
  if (which === undefined || which === 'report') process.stdout.write(await runReportBench({ records: 100_000, progress }));
  if (which === undefined || which === 'latency') {
    const latency = { profiles: ['off', 'real'], requests: 30, concurrency: 5, progress };
    process.stdout.write(printLatencyProfileReport(await measureLatencyProfiles(latency), latency));
  }
  if (which === undefined || which === 'trace') process.stdout.write(await runTraceBench({ records: 100_000, progress }));
  if (which === undefined || which === 'process') {
    if (compiledBot())
      process.stdout.write(await runProcessBench({ concurrency: 50, sequentialTurns: 100, turnsPerConversation: 4, progress }));
    else process.stdout.write('\n## The bot process alone: NOT RUN (dist/main.js is missing; run npm run build first)\n');
  }
  process.stdout.write(`\nload average at the end: ${load()}\n`);
}

// Exit handlers stop what the bench started (bot processes); the test server ends with this process. Signals must run them too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
