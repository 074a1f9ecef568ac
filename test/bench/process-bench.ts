import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { captureOutput, exited } from '../support/node-process';
import { freePort } from '../support/free-port';
import { APPROVERS, generatedUser, type GeneratedUser } from '../support/generated-users';
import { LoopbackConnector } from '../support/loopback-connector';
import { markPeriodicJobsDone } from '../support/periodic-claims';
import { cardActionActivity, channelThread, messageActivity, personalChat, type TeamsUser } from '../support/teams-activity';
import { ChildRssSampler, childMemory } from './child-rss';
import { timeConcurrent } from './concurrent';
import { mib, ms, summarize, table, type Summary } from './stats';
import { startTenantProcess } from './tenant-process';
import { postActivity, startEchoServer } from './bench-http';
import { COMPILED_ENTRY, serveFlags } from './serve-flags';

// npm run bench -- --only process: the compiled bot (node dist/main.js, with the flags of npm run serve) in a process of
// its own, the tenant in another, the load client and an echo bot here: start-up time, RSS of the bot process alone, latency.

const REPO_ROOT = join(__dirname, '..', '..');
const ENTRY = COMPILED_ENTRY;
/** The heap flags of npm run serve and the container (deploy/Dockerfile NODE_OPTIONS). */
const SERVE_FLAGS = serveFlags();
const APPROVALS_CHANNEL = '19:approvals@thread.tacv2';
const SECURITY_CHANNEL = '19:security@thread.tacv2';

export interface ProcessBenchOptions {
  concurrency: number;
  sequentialTurns: number;
  turnsPerConversation: number;
  progress: (line: string) => void;
}

interface Row {
  turn: string;
  concurrency: number;
  latency: Summary;
  botPeakRss: number;
  load: string;
}

const requestLine = (mailbox: string, n: number) =>
  `request ${mailbox} ticket INC-${1000 + n} jurisdiction EU access full for 4h because phishing investigation INC-${1000 + n}`;
const loadNow = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

export async function runProcessBench(options: ProcessBenchOptions): Promise<string> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first`);
  const { concurrency } = options;
  const requesters = Array.from({ length: concurrency }, (_, i) => generatedUser(i + 1));
  const submits = options.sequentialTurns + concurrency * options.turnsPerConversation + 5;
  options.progress(`process: starting the local tenant (${concurrency + submits} generated mailboxes) in its own process`);
  const tenant = await startTenantProcess({ extraMailboxes: concurrency + submits });
  const connector = new LoopbackConnector();
  const serviceUrl = await connector.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'custodian-process-bench-'));
  const caFile = join(dataDir, 'tenant-ca.pem');
  writeFileSync(caFile, tenant.config.caCertPem!);
  const config = loadConfig({ PORT: '1', CUSTODIAN_DATA_DIR: dataDir, CUSTODIAN_INSTANCE_ID: 'bench', LOG_LEVEL: 'silent' });
  const store = SqliteStore.open(join(dataDir, 'custodian.sqlite'));
  // As in a deployment that has been up a while: the calendar jobs (a sweep of every mailbox) do not start with the bot.
  await markPeriodicJobsDone(store, config);
  const port = await freePort();
  const botUrl = `http://127.0.0.1:${port}`;

  options.progress(`process: starting node ${SERVE_FLAGS.join(' ')} dist/main.js`);
  const started = performance.now();
  const bot: ChildProcess = spawn(process.execPath, [...SERVE_FLAGS, ENTRY], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      CUSTODIAN_MODE: 'local',
      M365_TENANT_ID: tenant.config.tenantId,
      M365_CLIENT_ID: tenant.config.clientId,
      M365_CLIENT_SECRET: tenant.config.clientSecret,
      M365_AUTHORITY_HOST: tenant.config.authorityHost,
      M365_GRAPH_BASE_URL: tenant.config.graphBaseUrl,
      M365_EXCHANGE_BASE_URL: tenant.config.exchangeBaseUrl,
      M365_SERVICE_MAILBOX: tenant.config.serviceMailbox,
      M365_CA_CERT_FILE: caFile,
      CUSTODIAN_DATA_DIR: dataDir,
      CUSTODIAN_INSTANCE_ID: 'bench',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
  });
  const output = captureOutput(bot);
  const killOnExit = () => bot.kill('SIGKILL');
  process.once('exit', killOnExit);
  const startupMs = (await waitUntilReady(botUrl, bot, output)) - started;
  const afterStart = childMemory(bot.pid!);
  const loadAtStart = loadNow();

  const echo = await startEchoServer(config);
  const echoUrl = echo.url;
  const tenantId = tenant.config.tenantId;
  const post = (base: string, activity: object) => postActivity(base, activity, output);
  const say = (base: string, user: TeamsUser, text: string, conversation = personalChat(user)) =>
    post(base, messageActivity(serviceUrl, tenantId, user, conversation, text));
  let nextMailbox = concurrency + 1;
  const submit = (requester: GeneratedUser) => say(botUrl, requester.teams, requestLine(generatedUser(nextMailbox++).upn, nextMailbox));
  // A submit slower than its answer deadline is answered "Checking your request…" and stored just after: wait for it.
  const newestPending = async (requester: GeneratedUser, known: Set<string>): Promise<string> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [newest] = await store.listRequestsByRequester(requester.aadObjectId, 1);
      if (newest?.status === 'pending' && !known.has(newest.id)) {
        known.add(newest.id);
        return newest.id;
      }
      if (Date.now() > deadline)
        throw new Error(`the submit of ${requester.upn} left ${newest?.status ?? 'nothing'} after 60 s\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const seen = new Set<string>();
  const approve = (approver: TeamsUser, requestId: string) =>
    post(botUrl, cardActionActivity(serviceUrl, tenantId, approver, channelThread(APPROVALS_CHANNEL), 'approve', { requestId }));

  const rows: Row[] = [];
  const measure = async (
    turn: string,
    workers: number,
    perWorker: number,
    run: (w: number, i: number) => Promise<void>,
    after?: (w: number, i: number) => Promise<void>,
  ) => {
    options.progress(`process: ${turn}, ${workers} conversation(s) at once, ${workers * perWorker} turns`);
    const sampler = new ChildRssSampler(bot.pid!).start();
    const durations = await timeConcurrent(workers, perWorker, run, after);
    rows.push({ turn, concurrency: workers, latency: summarize(durations), botPeakRss: sampler.stop(), load: loadNow() });
  };

  try {
    await say(botUrl, APPROVERS[0], 'use this channel for approvals', channelThread(APPROVALS_CHANNEL));
    await say(botUrl, APPROVERS[0], 'use this channel for security notices', channelThread(SECURITY_CHANNEL));
    for (let i = 0; i < 5; i++) {
      await say(echoUrl, requesters[i].teams, 'warm up');
      await submit(requesters[i]);
      await approve(APPROVERS[0], await newestPending(requesters[i], seen));
    }
    const n = options.sequentialTurns;
    await measure('echo', 1, n, (_, i) => say(echoUrl, requesters[i % concurrency].teams, requestLine('echo@contoso.com', i)));
    const sequential: string[] = [];
    await measure(
      'submit',
      1,
      n,
      (_, i) => submit(requesters[i % concurrency]),
      async (_, i) => void sequential.push(await newestPending(requesters[i % concurrency], seen)),
    );
    await measure('approve', 1, n, (_, i) => approve(APPROVERS[i % APPROVERS.length], sequential[i]));
    const per = options.turnsPerConversation;
    await measure('echo', concurrency, per, (w, i) => say(echoUrl, requesters[w].teams, requestLine('echo@contoso.com', i)));
    const concurrent: string[][] = requesters.map(() => []);
    await measure(
      'submit',
      concurrency,
      per,
      (w) => submit(requesters[w]),
      async (w) => void concurrent[w].push(await newestPending(requesters[w], seen)),
    );
    await measure('approve', concurrency, per, (w, i) => approve(APPROVERS[w % APPROVERS.length], concurrent[w][i]));
  } finally {
    const peakOverall = childMemory(bot.pid!).peak;
    process.off('exit', killOnExit);
    bot.kill('SIGTERM');
    await exited(bot);
    await echo.close();
    await store.close();
    await connector.stop();
    await tenant.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rows.push({ turn: 'whole run (VmHWM)', concurrency: NaN, latency: summarize([]), botPeakRss: peakOverall, load: loadNow() });
  }
  const echoOf = (concurrencyOf: number) =>
    rows.find((row) => row.turn === 'echo' && row.concurrency === concurrencyOf)?.latency.p99 ?? NaN;
  return [
    '',
    '## The bot process alone (compiled, `node ' + SERVE_FLAGS.join(' ') + ' dist/main.js`)',
    '',
    `start-up (spawn to /readyz 200): ${ms(startupMs)} ms; RSS after start ${mib(afterStart.rss)} (peak ${mib(afterStart.peak)}); load average ${loadAtStart}`,
    '',
    table(
      ['turn', 'conversations', 'p50', 'p99', 'p99 / echo p99', 'bot peak RSS', 'load average'],
      rows.map((row) => [
        row.turn,
        Number.isNaN(row.concurrency) ? '' : String(row.concurrency),
        ms(row.latency.p50),
        ms(row.latency.p99),
        row.turn === 'echo' || Number.isNaN(row.concurrency) ? '' : `${(row.latency.p99 / echoOf(row.concurrency)).toFixed(1)}x`,
        mib(row.botPeakRss),
        row.load,
      ]),
    ),
    '',
    "echo: the same adapter and server with an echo bot, in the load client's process; tenant: own process, no added latency; SQLite store.",
    '',
  ].join('\n');
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/readyz`);
      await response.text();
      if (response.ok) return performance.now();
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the bot was not ready within 60 s:\n${output()}`);
}
