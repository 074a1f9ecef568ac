import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { createM365 } from '../../src/m365/connect';
import { createBotAdapter } from '../../src/server/bot-adapter';
import { createHttpServer } from '../../src/server/http-server';
import { startCustodian } from '../../src/server/start-custodian';
import { silentLogger } from '../../src/shared/logger';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { BusyTime } from './busy-time';
import { markPeriodicJobsDone } from '../support/periodic-claims';
import { timeConcurrent } from './concurrent';
import { EchoBot } from './echo-bot';
import { APPROVERS, generatedUser, type GeneratedUser } from '../support/generated-users';
import { LoopbackConnector } from '../support/loopback-connector';
import { RssSampler } from './rss-sampler';
import { summarize, type Summary } from './stats';
import {
  cardActionActivity,
  channelThread,
  messageActivity,
  personalChat,
  type Conversation,
  type TeamsUser,
} from '../support/teams-activity';
import { startTenantProcess } from './tenant-process';
import { postActivity } from './bench-http';

export interface TurnRow {
  turn: 'echo' | 'submit' | 'approve';
  concurrency: number;
  latency: Summary;
  peakRss: number;
  /** CPU time of this process (bot, echo bot, connector, load client) per turn. */
  cpuMsPerTurn: number;
}

/** Mean wall time per turn by what the bot was waiting for, over the sequential (concurrency 1) turns. */
export interface Breakdown {
  turn: 'submit' | 'approve';
  totalMs: number;
  parts: Part[];
  /** HTTPS requests to the local tenant, by method and path. */
  tenantRequests: Part[];
  /** Store method calls (inclusive time: a method that calls another counts both). */
  storeCalls: Part[];
}

export interface Part {
  category: string;
  ms: number;
  callsPerTurn: number;
}

export interface TurnLatencyReport {
  rows: TurnRow[];
  breakdown: Breakdown[];
  settings: string[];
}

export interface TurnLatencyOptions {
  /** Conversations at once in the concurrent runs (one requester each). */
  concurrency: number;
  /** Turns per kind at concurrency 1. */
  sequentialTurns: number;
  /** Turns per conversation at full concurrency. */
  turnsPerConversation: number;
  progress: (line: string) => void;
}

const APPROVALS_CHANNEL = '19:approvals@thread.tacv2';
const SECURITY_CHANNEL = '19:security@thread.tacv2';
const WARMUP_TURNS = 5;

const requestLine = (mailbox: string, n: number) =>
  `request ${mailbox} ticket INC-${1000 + n} jurisdiction EU access full for 4h because phishing investigation INC-${1000 + n}`;

/**
 * Request-submit and approve turns through the real server, adapter, bot,
 * SQLite store and Microsoft 365 connectors (against the local tenant in its
 * own process), against an echo bot on the same adapter and server.
 */
export async function measureTurnLatency(options: TurnLatencyOptions): Promise<TurnLatencyReport> {
  const { concurrency } = options;
  const requesters = Array.from({ length: concurrency }, (_, i) => generatedUser(i + 1));
  const submits = WARMUP_TURNS + options.sequentialTurns + concurrency * options.turnsPerConversation;
  options.progress(`starting the local tenant (${concurrency + submits} generated mailboxes) in its own process`);
  const tenant = await startTenantProcess({ extraMailboxes: concurrency + submits });
  const connector = new LoopbackConnector();
  const serviceUrl = await connector.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'custodian-bench-'));
  const busy = new BusyTime();
  // Per request path and per store method, for the detail tables.
  const detail = new BusyTime();
  const stopWatching = busy.watchHttpPort(Number(new URL(serviceUrl).port), 'Bot Framework connector (replies, cards)');
  const config = loadConfig({ PORT: '1', CUSTODIAN_DATA_DIR: dataDir, CUSTODIAN_INSTANCE_ID: 'bench', LOG_LEVEL: 'silent' });
  config.port = 0;
  // As in a deployment that has been up for a while: the calendar jobs (a drift sweep of every mailbox) do not start with the bot.
  const seedStore = SqliteStore.open(join(dataDir, 'custodian.sqlite'));
  await markPeriodicJobsDone(seedStore, config);
  await seedStore.close();
  const m365 = await createM365(tenant.config, silentLogger);
  const stopWatchingTenant = detail.watchUndici(
    new URL(tenant.config.graphBaseUrl).origin,
    (method, path) => `${method} ${tenantPath(path)}`,
  );
  busy.instrument(m365.directory, 'Graph (directory)');
  busy.instrument(m365.mailer, 'Graph (mail)');
  busy.instrument(m365.exchange, 'Exchange admin API');
  const custodian = await startCustodian({
    config,
    m365: { directory: m365.directory, mailer: m365.mailer, exchange: m365.exchange, activity: m365.activity },
    logger: silentLogger,
    host: '127.0.0.1',
  });
  // Bench's own reads stay out of the turn breakdown.
  const listNewest = custodian.store.listRequestsByRequester.bind(custodian.store);
  const readRequest = custodian.store.getRequest.bind(custodian.store);
  busy.instrument(custodian.store, 'store (SQLite)');
  detail.instrument(custodian.store, (method) => `store.${method}`);

  const echoAdapter = createBotAdapter(config.bot, silentLogger);
  const echo = createHttpServer({ adapter: echoAdapter, bot: new EchoBot(), readiness: [], logger: silentLogger });
  await new Promise<void>((resolve) => {
    echo.listen(0, '127.0.0.1', resolve);
  });
  const echoUrl = `http://127.0.0.1:${echo.address().port}`;
  const tenantId = tenant.config.tenantId;

  const post = (base: string, activity: object) => postActivity(base, activity);
  const say = (base: string, user: TeamsUser, conversation: Conversation, text: string) =>
    post(base, messageActivity(serviceUrl, tenantId, user, conversation, text));

  let nextMailbox = concurrency + 1;
  const submit = async (requester: GeneratedUser): Promise<void> => {
    const mailbox = generatedUser(nextMailbox++);
    await say(custodian.url, requester.teams, personalChat(requester.teams), requestLine(mailbox.upn, nextMailbox));
  };
  const newestRequestOf = async (requester: GeneratedUser): Promise<string> => {
    const [newest] = await listNewest(requester.aadObjectId, 1);
    if (newest?.status !== 'pending')
      throw new Error(`the submit of ${requester.upn} did not leave a pending request (found ${newest ? newest.status : 'none'})`);
    return newest.id;
  };
  const approve = (approver: TeamsUser, requestId: string) =>
    post(custodian.url, cardActionActivity(serviceUrl, tenantId, approver, channelThread(APPROVALS_CHANNEL), 'approve', { requestId }));

  const rows: TurnRow[] = [];
  const breakdown: Breakdown[] = [];
  const measure = async (
    turn: TurnRow['turn'],
    workers: number,
    perWorker: number,
    run: (worker: number, iteration: number) => Promise<void>,
    afterTurn?: (worker: number, iteration: number) => Promise<void>,
  ): Promise<void> => {
    options.progress(`${turn} turns, ${workers} conversation(s) at once, ${workers * perWorker} turns`);
    busy.reset();
    detail.reset();
    const rss = new RssSampler().start();
    const cpu = process.cpuUsage();
    const durations = await timeConcurrent(workers, perWorker, run, afterTurn);
    const used = process.cpuUsage(cpu);
    const peakRss = rss.stop();
    rows.push({
      turn,
      concurrency: workers,
      latency: summarize(durations),
      peakRss,
      cpuMsPerTurn: (used.user + used.system) / 1000 / durations.length,
    });
    if (turn !== 'echo' && workers === 1) {
      const totalMs = durations.reduce((sum, value) => sum + value, 0) / durations.length;
      const perTurn = (busyTime: BusyTime, keep: (category: string) => boolean) =>
        [...busyTime.snapshot()]
          .filter(([category]) => keep(category))
          .map(([category, total]) => ({ category, ms: total.ms / durations.length, callsPerTurn: total.calls / durations.length }))
          .sort((a, b) => b.ms - a.ms);
      breakdown.push({
        turn,
        totalMs,
        parts: perTurn(busy, () => true),
        tenantRequests: perTurn(detail, (category) => !category.startsWith('store.')),
        // The store's private helper shows up as "run"; it is not a call of its own.
        storeCalls: perTurn(detail, (category) => category.startsWith('store.') && category !== 'store.run'),
      });
    }
  };

  try {
    options.progress('registering the approvals and security channels; warming up');
    await say(custodian.url, APPROVERS[0], channelThread(APPROVALS_CHANNEL), 'use this channel for approvals');
    await say(custodian.url, APPROVERS[0], channelThread(SECURITY_CHANNEL), 'use this channel for security notices');
    for (let i = 0; i < WARMUP_TURNS; i++) {
      const requester = requesters[i % concurrency];
      await say(echoUrl, requester.teams, personalChat(requester.teams), requestLine('warmup@contoso.com', i));
      await submit(requester);
      await approve(APPROVERS[0], await newestRequestOf(requester));
    }

    // Sequential: one conversation, requesters taking turns.
    await measure('echo', 1, options.sequentialTurns, async (_, i) =>
      say(echoUrl, requesters[i % concurrency].teams, personalChat(requesters[i % concurrency].teams), requestLine('echo@contoso.com', i)),
    );
    const sequentialIds: string[] = [];
    await measure(
      'submit',
      1,
      options.sequentialTurns,
      async (_, i) => submit(requesters[i % concurrency]),
      async (_, i) => {
        sequentialIds.push(await newestRequestOf(requesters[i % concurrency]));
      },
    );
    await measure('approve', 1, options.sequentialTurns, async (_, i) => approve(APPROVERS[i % APPROVERS.length], sequentialIds[i]));

    // Concurrent: one personal chat per requester.
    const perWorker = options.turnsPerConversation;
    await measure('echo', concurrency, perWorker, async (w, i) =>
      say(echoUrl, requesters[w].teams, personalChat(requesters[w].teams), requestLine('echo@contoso.com', i)),
    );
    const concurrentIds: string[][] = requesters.map(() => []);
    await measure(
      'submit',
      concurrency,
      perWorker,
      async (w) => submit(requesters[w]),
      async (w) => {
        concurrentIds[w].push(await newestRequestOf(requesters[w]));
      },
    );
    await measure('approve', concurrency, perWorker, async (w, i) => approve(APPROVERS[w % APPROVERS.length], concurrentIds[w][i]));

    const notActive = (await Promise.all([...sequentialIds, ...concurrentIds.flat()].map((id) => readRequest(id)))).filter(
      (request) => request?.status !== 'active',
    );
    if (notActive.length > 0)
      throw new Error(`${notActive.length} approved requests are not active (e.g. ${notActive[0]?.id}: ${notActive[0]?.status})`);
  } finally {
    stopWatching();
    stopWatchingTenant();
    await custodian.stop();
    await new Promise<void>((resolve) => {
      echo.close(() => resolve());
      echo.server.closeAllConnections();
    });
    await m365.close();
    await connector.stop();
    await tenant.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    rows,
    breakdown,
    settings: [
      'bot: real restify server + CloudAdapter (anonymous, local) + CustodianBot, SQLite store, real Graph/Exchange connectors; scheduler running, calendar jobs (drift sweep) marked as already run',
      'local tenant: separate Node process on HTTPS loopback, no added latency; Bot Framework connector: loopback, answers at once',
      `requests: EU pack (1 security approval, DPO notice by e-mail), FullAccess 4h; ${concurrency} generated requesters, a new mailbox per request`,
      `approve: Megan Bowen / Johanna Lorenz click "approve" in the approvals channel; the grant runs inside the turn`,
      'peak RSS: this process (bot + echo bot + connector + load client; the tenant runs elsewhere), sampled every 50 ms',
    ],
  };
}

/** "/graph/v1.0/users/e000...-0003/mailboxSettings?x" -> "/graph/v1.0/users/{id}/mailboxSettings" */
function tenantPath(path: string): string {
  return path
    .split('?')[0]
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}')
    .replace(/\/[^/]+@[^/]+/g, '/{upn}')
    .replace(/'[^']*'/g, "'{x}'");
}
