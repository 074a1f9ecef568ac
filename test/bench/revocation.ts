import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../../src/config/app-config';
import type { AccessRequest } from '../../src/domain/types';
import { defaultFixture, startLocalTenant, type LocalTenant } from '../../src/local-tenant';
import { COLLECTIONS } from '../../src/store/mongo/mongo-collections';
import { dueFilter, fromRequestDocument } from '../../src/store/mongo/request-documents';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { startBotProcess, type BotProcess } from '../support/bot-process';
import { childMemory } from './child-rss';
import { registerConversations } from '../support/conversations';
import { freePort } from '../support/free-port';
import { generatedUser, type GeneratedUser } from '../support/generated-users';
import { activeGrant, seedGrants, shippedPolicies } from '../support/grant-seed';
import { LoopbackConnector } from '../support/loopback-connector';
import { REPO_ROOT } from '../support/node-process';
import { markPeriodicJobsDone } from '../support/periodic-claims';
import { RevokeRecorder } from './revoke-recorder';
import { summarize, type Summary } from './stats';

export interface RevocationRun {
  instances: number;
  total: number;
  expiring: number;
  /** From expiresAt to the permission removed at the tenant (includes the tenant's answer delay), over those removed in the window. */
  lag: Summary;
  /** From expiresAt to the store saying "revoked" (revokedAt), over those recorded in the window. */
  storeLag: Summary;
  /** From the first expiry to the last of the expiring grants removed at the tenant; null if some were not within the window. */
  allRevokedMs: number | null;
  /** Removed at the tenant within the window. */
  removed: number;
  /** Removals per second between the first and the last one seen. */
  perSecond: number;
  windowMs: number;
  /** Mailboxes whose permission removal Exchange was asked for more than once. */
  duplicates: number;
  /** Revocations of grants that had not expired. */
  early: number;
  /** Seeding of the expiring grants ended this long before the first expiry (negative: late). */
  seededAheadMs: number;
  /** Peak RSS of each bot process over the run (VmHWM). */
  botPeakRss: number[];
}

export interface RevocationReport {
  skipped?: string;
  runs: RevocationRun[];
  settings: string[];
  storeOps?: StoreOpCosts;
  seedPerSecond?: number;
  /** How long the server stayed busy after each run's bots were stopped. */
  drainNotes?: string[];
}

/** Single store operations over all grants, nothing else running (ms). */
export interface StoreOpCosts {
  /** Due, lease free, by dueAt, limit 50; nothing due. */
  claimQueryMs: number;
  /** The first read of a request this connection has not seen. */
  getColdMs: number;
  getMs: number;
  /** getRequest + updateRequest. */
  updateMs: number;
  plan: string;
  /** Grants in the store when measured. */
  seeded: number;
}

export interface RevocationOptions {
  uri: string | null;
  /** Why there is no URI, for the skip notice. */
  noServerReason?: string;
  instanceCounts: number[];
  total: number;
  expiring: number;
  tenantLatencyMs: number;
  /** How long after the last expiry to keep watching before calling the rest missed. */
  windowAfterExpiryMs: number;
  progress: (line: string) => void;
  /** Run the compiled bot (dist/main.js) with these node flags instead of src/main.ts through tsx. */
  compiled?: { flags: string[] };
}

const REQUESTERS = 50;
const HOUR = 3_600_000;
const STORE_READ_BUDGET_MS = 20_000;
const DRAIN_BUDGET_MS = 240_000;

/**
 * Expiry at scale against a MongoDB-wire server: `total` active grants, of
 * which `expiring` expire within the same second, revoked by one and then by
 * several bot processes (src/main.ts with the product's defaults for batch,
 * concurrency, interval and lease) against a local tenant that answers in
 * `tenantLatencyMs`. The grants that do not expire are seeded once; each run
 * adds its own `expiring` grants on fresh mailboxes, so every run works over
 * the same number of grants.
 */
export async function measureRevocation(options: RevocationOptions): Promise<RevocationReport> {
  const { total, expiring } = options;
  const settings = [
    `${total.toLocaleString('en')} active FullAccess grants (EU pack) from ${REQUESTERS} requesters, one mailbox each; ${expiring.toLocaleString('en')} expire within one second, the rest hours later`,
    `bots: ${options.compiled ? `node ${options.compiled.flags.join(' ')} dist/main.js` : 'src/main.ts through tsx'} as child processes, CUSTODIAN_MODE=local against the local tenant in this process (every answer delayed ${options.tenantLatencyMs} ms); product defaults: a scheduler round every 1 s claims what falls due in the next 30 s, up to 1,000 items worked at once, 64 Exchange requests in flight per instance, lease 120 s; calendar jobs (drift sweep, review) marked as already run`,
    'lag: expiresAt -> Remove-MailboxPermission applied at the tenant (after its delay, so it includes it); store lag: expiresAt -> revokedAt written',
    'each revocation also appends to the audit chain and sends the requester and the security channel a Teams notice (loopback connector)',
    `a run watches until ${(options.windowAfterExpiryMs / 1000).toFixed(0)} s after the last expiry; grants not revoked by then count as not revoked in time`,
  ];
  if (!options.uri) return { skipped: `no MongoDB-wire server: ${options.noServerReason ?? 'unknown'}`, runs: [], settings };
  const uri = options.uri;
  const progress = options.progress;
  const policies = shippedPolicies();
  const requesters = Array.from({ length: REQUESTERS }, (_, i) => generatedUser(i + 1));
  const later = total - expiring;
  const mailboxCount = total * options.instanceCounts.length;
  const mailboxes = Array.from({ length: mailboxCount }, (_, i) => generatedUser(REQUESTERS + 1 + i));
  let nextMailbox = 0;
  const grant = (mailbox: GeneratedUser, n: number, expiresAt: number): AccessRequest =>
    activeGrant(policies, { id: `CUS-2026-${String(n).padStart(5, '0')}`, requester: requesters[n % REQUESTERS], mailbox, expiresAt });
  const newGrants = (count: number, expiresAt: (i: number) => number) =>
    Array.from({ length: count }, (_, i) => {
      const n = ++nextMailbox;
      return grant(mailboxes[n - 1], n, expiresAt(i));
    });

  const tenant = await startLocalTenant({
    fixture: defaultFixture({ extraMailboxes: REQUESTERS + mailboxCount }),
    latencyMs: options.tenantLatencyMs,
  });
  const recorder = new RevokeRecorder(tenant.state);
  const dir = mkdtempSync(join(tmpdir(), 'custodian-bench-revoke-'));
  const caFile = join(dir, 'tenant-ca.pem');
  writeFileSync(caFile, tenant.caCertPem);
  const connector = new LoopbackConnector();
  const serviceUrl = await connector.start();
  const admin = await MongoClient.connect(uri);
  try {
    const runs: RevocationRun[] = [];
    let storeOps: StoreOpCosts | undefined;
    let seedPerSecond = 0;
    const drainNotes: string[] = [];
    for (const instances of options.instanceCounts) {
      // A database per run: a server still busy with what the previous run's bots left queued must not hold this one up.
      const dbName = `custodian_bench_${Date.now().toString(36)}_${process.pid}_${instances}`;
      const store = await MongoStore.connect(uri, dbName);
      try {
        await registerConversations(store, serviceUrl, tenant.tenantId, requesters);
        await markPeriodicJobsDone(store, loadConfig({ LOG_LEVEL: 'silent' }, REPO_ROOT));
        progress(`[${instances}] seeding ${later.toLocaleString('en')} grants that expire hours later`);
        const laterGrants = newGrants(later, (i) => Date.now() + 2 * HOUR + i * 1000);
        // Through the store, as the bot itself stores them (several at a time): the rate also sets how early the expiring ones are seeded.
        const seedStart = Date.now();
        await seedGrants(store, tenant.state, laterGrants, 32);
        seedPerSecond = later / Math.max(0.001, (Date.now() - seedStart) / 1000);
        progress(`[${instances}] seeded (${seedPerSecond.toFixed(0)} grants/s); timing single store operations`);
        storeOps ??= await timeStoreOps(uri, admin, dbName, laterGrants[laterGrants.length >> 1], later);
        const laterBoxes = new Set(laterGrants.map((g) => g.mailbox.upn));
        runs.push(
          await measureRun({
            ...options,
            uri,
            instances,
            tenant,
            recorder,
            caFile,
            dir,
            dbName,
            store,
            admin,
            seedPerSecond,
            laterBoxes,
            newGrants,
          }),
        );
      } finally {
        await store.close();
        // Dropping waits until the server has worked through what the stopped bots left queued on this
        // database, so the next run does not start on a busy server (bounded: then it is said so).
        progress(`[${instances}] dropping the database (waits for the server's queued work)`);
        const dropStart = Date.now();
        const dropped = await Promise.race([
          admin
            .db(dbName)
            .dropDatabase()
            .then(
              () => true,
              () => true,
            ),
          sleep(DRAIN_BUDGET_MS).then(() => false),
        ]);
        drainNotes.push(
          `${instances} instance(s): the server ${dropped ? `finished the queued work and dropped the database ${((Date.now() - dropStart) / 1000).toFixed(0)} s after the bots stopped` : `was still busy ${DRAIN_BUDGET_MS / 1000} s after the bots stopped`}`,
        );
      }
    }
    return { runs, settings, storeOps, seedPerSecond, drainNotes };
  } finally {
    await admin.close(true).catch(() => undefined);
    await connector.stop();
    await tenant.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface RunContext extends RevocationOptions {
  uri: string;
  instances: number;
  tenant: LocalTenant;
  recorder: RevokeRecorder;
  caFile: string;
  dir: string;
  dbName: string;
  store: MongoStore;
  admin: MongoClient;
  seedPerSecond: number;
  /** Mailboxes of the grants that expire hours later: nothing may touch them. */
  laterBoxes: Set<string>;
  newGrants: (count: number, expiresAt: (i: number) => number) => AccessRequest[];
}

async function measureRun(run: RunContext): Promise<RevocationRun> {
  const { instances, expiring, recorder, store } = run;
  const progress = (line: string) => run.progress(`[${instances} instance${instances > 1 ? 's' : ''}] ${line}`);
  progress(`starting ${instances} bot process(es)`);
  const bots: BotProcess[] = await Promise.all(
    Array.from({ length: instances }, async (_, n) =>
      startBotProcess({
        tenant: run.tenant,
        caFile: run.caFile,
        mongodbUri: run.uri,
        mongodbDb: run.dbName,
        instanceId: `bench-${instances}-${n + 1}`,
        port: await freePort(),
        dataDir: run.dir,
        env: { CUSTODIAN_ACTIVITY_REPORT_DELAY_MINUTES: '60' },
        compiled: run.compiled,
      }),
    ),
  );
  let grants: AccessRequest[] = [];
  try {
    // All expire within one whole second, which starts after seeding is done.
    const seedEstimateMs = (1000 * expiring) / run.seedPerSecond;
    const firstExpiry = Math.ceil((Date.now() + Math.max(3_000, 2 * seedEstimateMs + 2_000)) / 1000) * 1000;
    grants = run.newGrants(expiring, (i) => firstExpiry + Math.floor((i * 1000) / expiring));
    progress(
      `seeding ${expiring.toLocaleString('en')} grants one by one through the store, expiring at ${new Date(firstExpiry).toISOString()}`,
    );
    await seedGrants(store, run.tenant.state, grants);
    const seededAheadMs = firstExpiry - Date.now();

    const end = firstExpiry + 1000 + run.windowAfterExpiryMs;
    const removed = () => grants.filter((g) => recorder.calls(g.mailbox.upn) > 0).length;
    let reported = Date.now();
    while (Date.now() < end && removed() < expiring) {
      await sleep(100);
      if (Date.now() - reported >= 10_000) {
        reported = Date.now();
        progress(`${removed()} of ${expiring} removed at the tenant`);
      }
    }
    // A moment more, so that a second (duplicate) removal would be seen; then stop, so the reads below do not compete.
    await sleep(1_000);
    // The kernel's high-water mark of each bot process, before they stop.
    const botPeakRss = bots.map((bot) => childMemory(bot.child.pid!).peak);
    await stopAll(bots, progress);
    progress(`${removed()} of ${expiring} removed at the tenant; reading the store`);
    // One query over the request documents rather than a read per grant. A server still
    // working through what the bots left queued may not answer soon: then the store lag stays unknown.
    const query = run.admin
      .db(run.dbName)
      .collection(COLLECTIONS.requests)
      .find({ _id: { $in: grants.map((g) => g.id) as never[] }, status: 'revoked' })
      .toArray()
      .then((docs) => docs.map(fromRequestDocument));
    const revoked = (await Promise.race([query, sleep(STORE_READ_BUDGET_MS).then(() => undefined)])) ?? [];
    query.catch(() => undefined);

    const firsts = grants.flatMap((g) => {
      const at = recorder.first(g.mailbox.upn);
      return at === undefined ? [] : [{ at, lag: at - g.expiresAt! }];
    });
    const times = firsts.map((f) => f.at);
    const span = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : 0;
    return {
      instances,
      total: run.total,
      expiring,
      lag: summarize(firsts.map((f) => f.lag)),
      storeLag: summarize(revoked.map((r) => r.revokedAt! - r.expiresAt!)),
      allRevokedMs: firsts.length === expiring ? Math.max(...times) - firstExpiry : null,
      removed: firsts.length,
      perSecond: span > 0 ? firsts.length / span : NaN,
      windowMs: end - firstExpiry,
      duplicates: grants.filter((g) => recorder.calls(g.mailbox.upn) > 1).length,
      early: [...run.laterBoxes].filter((box) => recorder.calls(box) > 0).length,
      seededAheadMs,
      botPeakRss,
    };
  } finally {
    await stopAll(bots, progress);
  }
}

/**
 * What one store operation costs with all grants seeded and nothing else
 * running (median of a few), from a connection that has not seen the grants
 * (as another instance would): the claim's candidate query as MongoRequests.claimDue
 * sends it (and how the server plans it), reading one request, and one
 * conditional update (a no-op change to a grant that expires hours later).
 */
async function timeStoreOps(uri: string, admin: MongoClient, dbName: string, sample: AccessRequest, seeded: number): Promise<StoreOpCosts> {
  const store = await MongoStore.connect(uri, dbName);
  try {
    return await timeOps(admin, dbName, store, sample, seeded);
  } finally {
    await store.close();
  }
}

async function timeOps(
  admin: MongoClient,
  dbName: string,
  store: MongoStore,
  sample: AccessRequest,
  seeded: number,
): Promise<StoreOpCosts> {
  const median = async (work: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await work();
      times.push(performance.now() - started);
    }
    return summarize(times).p50;
  };
  const requests = admin.db(dbName).collection(COLLECTIONS.requests);
  const claimQueryMs = await median(() =>
    requests
      .find(dueFilter(Date.now(), Date.now()), { projection: { _id: 1, dueAt: 1 } })
      .sort({ dueAt: 1 })
      .limit(50)
      .toArray(),
  );
  const coldStart = performance.now();
  await store.getRequest(sample.id);
  const getColdMs = performance.now() - coldStart;
  const getMs = await median(() => store.getRequest(sample.id));
  const updateMs = await median(async () => {
    const current = (await store.getRequest(sample.id))!;
    await store.updateRequest(current, current.version);
  });
  // mongo-java-server has no query planner and answers explain with CommandNotFound.
  const plan = await store.explainDueQuery(Date.now(), 50).then(
    (summary) => `${summary.usesIndex ? `index "${summary.indexName ?? '?'}"` : 'no index'}: ${summary.detail}`,
    (error: unknown) => `not available on this server (${(error as Error).message})`,
  );
  return { seeded, claimQueryMs, getColdMs, getMs, updateMs, plan };
}

/** A graceful stop waits for the scheduler's round, which on a slow store takes long: a few seconds, then SIGKILL. */
async function stopAll(bots: BotProcess[], progress: (line: string) => void): Promise<void> {
  const running = bots.filter((bot) => bot.child.exitCode === null && bot.child.signalCode === null);
  if (running.length === 0) return;
  progress('stopping the bots');
  await Promise.all(running.map((bot) => Promise.race([bot.stop(), sleep(5_000).then(() => bot.kill())])));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
