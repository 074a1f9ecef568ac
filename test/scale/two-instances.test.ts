import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startBotProcess, type BotProcess } from '../support/bot-process';
import { registerConversations } from '../support/conversations';
import { freePort } from '../support/free-port';
import { generatedUser } from '../support/generated-users';
import { activeGrant, seedGrants, shippedPolicies } from '../support/grant-seed';
import { LoopbackConnector } from '../support/loopback-connector';
import { REPO_ROOT } from '../support/node-process';
import { markPeriodicJobsDone } from '../support/periodic-claims';
import { loadConfig } from '../../src/config/app-config';
import type { AccessRequest } from '../../src/domain/types';
import { defaultFixture, startLocalTenant, type LocalTenant } from '../../src/local-tenant';
import { COLLECTIONS } from '../../src/store/mongo/mongo-collections';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { mongoUriOrSkip } from '../setup/mongo-server';

// Two bot processes (the production entry point, src/main.ts) share one
// MongoDB-wire database and one simulated tenant, and revoke grants that all
// expire within a few seconds. The tenant counts the Remove-MailboxPermission
// calls it receives per mailbox.

/** Grants per phase (CUSTODIAN_SCALE_GRANTS to try other sizes). */
const GRANTS = Number(process.env.CUSTODIAN_SCALE_GRANTS ?? 500);
const REQUESTERS = 20;
/**
 * Phase 1 runs with the product's default lease (120 s); set
 * CUSTODIAN_SCALE_PHASE1_LEASE_MS (e.g. 3000) to see that a lease shorter
 * than the wait between claim and due time still gives exactly once: the
 * write that starts a revocation proves the claim still holds.
 */
const PHASE1_LEASE_MS = process.env.CUSTODIAN_SCALE_PHASE1_LEASE_MS ? Number(process.env.CUSTODIAN_SCALE_PHASE1_LEASE_MS) : undefined;
/** Phase 2: short, so that the survivor takes over soon after the kill. */
const PHASE2_LEASE_MS = 3_000;
/** The scheduler's "due items worked on at the same time" (CUSTODIAN_SCHEDULER_CONCURRENCY, default). */
const SCHEDULER_CONCURRENCY = loadConfig({}, REPO_ROOT).schedulerConcurrency;
const PHASE_TIMEOUT_MS = 240_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two bot processes on one database and one tenant', function () {
  this.timeout(2 * PHASE_TIMEOUT_MS + 120_000);

  let uri: string;
  let tenant: LocalTenant;
  let connector: LoopbackConnector;
  let store: MongoStore;
  let admin: MongoClient;
  let dir: string;
  let dbName: string;
  let caFile: string;
  const bots: BotProcess[] = [];
  const policies = shippedPolicies();
  const requesters = Array.from({ length: REQUESTERS }, (_, i) => generatedUser(i + 1));
  let nextMailbox = REQUESTERS;

  before(async function () {
    uri = await mongoUriOrSkip(this);
    dbName = `custodian_scale_${Date.now().toString(36)}_${process.pid}`;
    tenant = await startLocalTenant({ fixture: defaultFixture({ extraMailboxes: REQUESTERS + 2 * GRANTS }) });
    connector = new LoopbackConnector();
    const serviceUrl = await connector.start();
    dir = mkdtempSync(join(tmpdir(), 'custodian-scale-'));
    caFile = join(dir, 'tenant-ca.pem');
    writeFileSync(caFile, tenant.caCertPem);
    store = await MongoStore.connect(uri, dbName);
    admin = await MongoClient.connect(uri);
    await registerConversations(store, serviceUrl, tenant.tenantId, requesters);
    // As in a deployment that has been up for a day: no calendar job (drift sweep of every mailbox) runs at start.
    await markPeriodicJobsDone(store, loadConfig({ LOG_LEVEL: 'silent' }, REPO_ROOT));
  });

  after(async () => {
    await Promise.all(bots.map((bot) => bot.kill()));
    await store?.close();
    await admin
      ?.db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await admin?.close();
    await connector?.stop();
    await tenant?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A bot process on the shared database and tenant. */
  async function startBot(instanceId: string, leaseMs: number | undefined, env: Record<string, string> = {}): Promise<BotProcess> {
    const bot = await startBotProcess({
      tenant,
      caFile,
      mongodbUri: uri,
      mongodbDb: dbName,
      instanceId,
      port: await freePort(),
      dataDir: dir,
      leaseMs,
      schedulerIntervalMs: 200,
      // Only revocations are watched here; the activity search after access would come later.
      env: { CUSTODIAN_ACTIVITY_REPORT_DELAY_MINUTES: '60', ...env },
    });
    bots.push(bot);
    return bot;
  }

  /** Who claimed each grant, from the claims stored as revisions (lease owner "<instance>#<claim>"). */
  async function claimOwners(ids: string[]): Promise<Map<string, Set<string>>> {
    const revisions = await admin
      .db(dbName)
      .collection(COLLECTIONS.requestRevisions)
      .find({ requestId: { $in: ids } })
      .toArray();
    const owners = new Map<string, Set<string>>();
    for (const revision of revisions) {
      const owner = (JSON.parse(revision.record as string) as AccessRequest).leaseOwner?.split('#')[0];
      if (!owner) continue;
      const set = owners.get(revision.requestId as string) ?? new Set<string>();
      set.add(owner);
      owners.set(revision.requestId as string, set);
    }
    return owners;
  }

  /** GRANTS active grants on fresh mailboxes, expiring over `spreadMs` from `firstExpiry`; seeded in the store and the tenant. */
  async function seed(firstExpiry: number, spreadMs: number): Promise<AccessRequest[]> {
    const grants = Array.from({ length: GRANTS }, (_, i) => {
      const n = ++nextMailbox;
      return activeGrant(policies, {
        id: `CUS-2026-${String(n).padStart(5, '0')}`,
        requester: requesters[n % REQUESTERS],
        mailbox: generatedUser(n),
        expiresAt: firstExpiry + Math.floor((i * spreadMs) / GRANTS),
      });
    });
    await seedGrants(store, tenant.state, grants);
    return grants;
  }

  const revokeCalls = (grant: AccessRequest) => tenant.state.revokeCalls(grant.mailbox.upn);
  const holdsPermission = (grant: AccessRequest) =>
    tenant.state.permissionsOf(grant.mailbox.upn).some((p) => p.grantee === grant.requester.upn);

  /**
   * Until every grant is revoked in the store (the last write of a
   * revocation), or the timeout. Watches the tenant's counters first, which
   * costs the database nothing, then reads the records.
   */
  async function waitAllRevoked(grants: AccessRequest[], what: string): Promise<AccessRequest[]> {
    const deadline = Date.now() + PHASE_TIMEOUT_MS;
    const failure = (open: string) =>
      assert.fail(
        `${what}: ${open} after ${PHASE_TIMEOUT_MS / 1000} s\n${bots.map((b) => `${b.instanceId}:\n${b.output().slice(-2000)}`).join('\n')}`,
      );
    while (grants.some((g) => revokeCalls(g) === 0)) {
      if (Date.now() > deadline)
        failure(`${grants.filter((g) => revokeCalls(g) === 0).length} of ${grants.length} grants never removed at the tenant`);
      await sleep(200);
    }
    for (;;) {
      // Rolls each record forward from its revisions, as every reader does.
      const stored = await Promise.all(grants.map((g) => store.getRequest(g.id)));
      const open = stored.filter((r) => r?.status !== 'revoked');
      if (open.length === 0) return stored as AccessRequest[];
      if (Date.now() > deadline)
        failure(`${open.length} of ${grants.length} grants not marked revoked (e.g. ${open[0]?.id}: ${open[0]?.status})`);
      await sleep(2_000);
    }
  }

  it(`revokes ${GRANTS} grants that expire within seconds exactly once each, with two instances claiming`, async () => {
    const pair = await Promise.all(['scale-a', 'scale-b'].map((name) => startBot(name, PHASE1_LEASE_MS)));
    const grants = await seed(Date.now() + 2_000, 3_000);
    await waitAllRevoked(grants, 'phase 1');
    await Promise.all(pair.map((bot) => Promise.race([bot.stop(), sleep(10_000).then(() => bot.kill())])));
    const calls = grants.map(revokeCalls);
    assert.deepEqual(
      grants.flatMap((g, i) => (calls[i] === 1 ? [] : [`${g.mailbox.upn}: ${calls[i]} calls`])),
      [],
      'every mailbox gets exactly one Remove-MailboxPermission',
    );
    assert.equal(grants.filter(holdsPermission).length, 0, 'no permission is left behind');
    // Whichever instance claimed a grant first did all of its work (which one depends on who looked first).
    const owners = await claimOwners(grants.map((g) => g.id));
    assert.deepEqual(
      grants.filter((g) => owners.get(g.id)?.size !== 1).map((g) => `${g.id}: ${[...(owners.get(g.id) ?? [])].join(', ')}`),
      [],
      'each grant claimed by exactly one instance',
    );
    assert.ok([...owners.values()].every((set) => [...set].every((owner) => owner === 'scale-a' || owner === 'scale-b')));
    const audit = await store.listAudit({ limit: 100_000 });
    const confirmed = new Set(audit.filter((e) => e.type === 'revoke.confirmed').map((e) => e.requestId));
    assert.equal(grants.filter((g) => !confirmed.has(g.id)).length, 0, 'every revocation is in the audit trail');
  });

  it('when one instance is killed while it holds leases, the other finishes its work once the leases lapse', async () => {
    // The victim claims 30 s ahead; the survivor only what is due at the time: so the victim holds the leases.
    const victim = await startBot('scale-victim', PHASE2_LEASE_MS);
    const survivor = await startBot('scale-survivor', PHASE2_LEASE_MS, { CUSTODIAN_SCHEDULER_LOOKAHEAD_MS: '0' });
    const grants = await seed(Date.now() + 2_000, 1_500);
    const ids = grants.map((g) => g.id);
    // Kill it once it is under way: some removed at the tenant, the rest claimed and not finished.
    const deadline = Date.now() + PHASE_TIMEOUT_MS;
    while (!grants.some((g) => revokeCalls(g) > 0)) {
      assert.ok(Date.now() < deadline, 'the victim never started');
      await sleep(20);
    }
    await victim.kill();

    // What the victim left unfinished, read after its death (each record rolled forward from its revisions).
    const orphaned = (await Promise.all(ids.map((id) => store.getRequest(id)))).filter(
      (r): r is AccessRequest => r !== null && (r.leaseOwner ?? '').startsWith(`${victim.instanceId}#`) && r.status !== 'revoked',
    );
    assert.ok(orphaned.length > 0, 'the victim died holding leases on unfinished grants');

    const after = new Map((await waitAllRevoked(grants, `phase 2 (survivor ${survivor.instanceId})`)).map((r) => [r.id, r]));
    for (const left of orphaned) {
      // Nobody touched them before the lease lapsed: the survivor respected the dead instance's lease.
      assert.ok(
        after.get(left.id)!.revokedAt! >= left.leaseUntil!,
        `${left.id} was revoked at ${after.get(left.id)!.revokedAt}, before its lease ran out at ${left.leaseUntil}`,
      );
    }

    // "Exactly once" cannot hold across a crash: the victim may have called
    // Exchange and died before writing "revoked". The intent ("revoking") was
    // stored first, so the survivor calls Exchange again (removal is
    // idempotent) rather than leaving access in place. The honest guarantee:
    // every grant is removed at least once, none is left behind, only grants
    // the victim was working on at its death are removed twice, and at most
    // as many as it worked on at once.
    const calls = grants.map(revokeCalls);
    assert.deepEqual(
      grants.filter((_, i) => calls[i] === 0).map((g) => g.mailbox.upn),
      [],
      'no grant is missed',
    );
    assert.deepEqual(
      grants.filter((_, i) => calls[i] > 2).map((g) => g.mailbox.upn),
      [],
      'no grant is removed more than twice',
    );
    const twice = grants.filter((_, i) => calls[i] === 2);
    const orphanedIds = new Set(orphaned.map((r) => r.id));
    assert.deepEqual(
      twice.filter((g) => !orphanedIds.has(g.id)).map((g) => g.id),
      [],
      'only grants the victim held at its death are removed twice',
    );
    assert.ok(
      twice.length <= SCHEDULER_CONCURRENCY,
      `${twice.length} grants removed twice; at most ${SCHEDULER_CONCURRENCY} can be in flight`,
    );
    assert.equal(grants.filter(holdsPermission).length, 0, 'no permission is left behind');
  });
});
