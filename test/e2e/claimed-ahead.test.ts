import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { Harness, USERS, cardText } from '../support/harness';
import { mongoUriOrSkip } from '../setup/mongo-server';

const HOUR = 3_600_000;
const MAILBOX = 'alex@contoso.com';

/**
 * The scheduler claims work due within its lookahead (30 s by default) and
 * holds it until it is due. Whatever happens to the request in between, the
 * held copy must never cause a second Exchange call or undo someone else's
 * work: its first write is conditional on the claim still holding.
 */
for (const backend of ['sqlite', 'mongodb'] as const) {
  describe(`work claimed ahead (${backend} store)`, function () {
    this.timeout(60_000);
    let h: Harness;
    let dbName: string | undefined;
    let uri: string | undefined;

    beforeEach(async function () {
      const env: Record<string, string> = {};
      if (backend === 'mongodb') {
        uri = await mongoUriOrSkip(this);
        dbName = `custodian_ahead_${Date.now().toString(36)}_${process.pid}`;
        Object.assign(env, { MONGODB_URI: uri, MONGODB_DB: dbName });
      }
      h = await Harness.start({ env });
      await h.registerChannels();
    });

    afterEach(async () => {
      await h?.stop();
      if (uri && dbName) {
        const admin = await MongoClient.connect(uri);
        await admin.db(dbName).dropDatabase();
        await admin.close();
      }
    });

    async function activeGrant(): Promise<string> {
      await h.say(USERS.adele, `request ${MAILBOX} ticket INC-77 jurisdiction EU access full for 1h because claimed-ahead check`);
      const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
      await h.click(USERS.megan, 'approve', { requestId: id });
      assert.equal((await h.custodian.store.getRequest(id))?.status, 'active');
      return id;
    }

    it('a grant released while its expiry is held is revoked once, by the release', async () => {
      const id = await activeGrant();
      h.clock.advance(HOUR - 10_000);
      assert.equal(await h.runScheduler(), 0, 'nothing due yet');
      assert.match((await h.custodian.store.getRequest(id))?.leaseOwner ?? '', /^test-instance#\d+$/, 'claimed ahead');

      await h.say(USERS.adele, `release ${id}`);
      assert.equal((await h.custodian.store.getRequest(id))?.status, 'revoked');
      assert.equal(h.tenant.state.revokeCalls(MAILBOX), 1);

      h.clock.advance(20_000);
      await h.runScheduler();
      assert.equal(h.tenant.state.revokeCalls(MAILBOX), 1, 'the held expiry did nothing');
      const trail = (await h.custodian.store.listAudit({ requestId: id })).map((event) => event.type);
      assert.equal(trail.filter((type) => type === 'revoke.attempted').length, 1);
      assert.equal((await h.custodian.store.getRequest(id))?.revokeReason, 'released');
    });

    it('a grant extended while its expiry is held is revoked at the new expiry, not the old', async () => {
      const id = await activeGrant();
      h.clock.advance(HOUR - 10_000);
      assert.equal(await h.runScheduler(), 0, 'nothing due yet');
      assert.match((await h.custodian.store.getRequest(id))?.leaseOwner ?? '', /^test-instance#\d+$/, 'claimed ahead');

      await h.say(USERS.adele, `extend ${id} for 1h because one more hour`);
      await h.click(USERS.megan, 'approveExtension', { requestId: id });
      await h.custodian.ctx.afterAnswer.idle();
      const extended = (await h.custodian.store.getRequest(id))!;
      assert.equal(extended.expiresAt, extended.grantedAt! + 2 * HOUR);

      h.clock.advance(20_000);
      await h.runScheduler();
      assert.equal((await h.custodian.store.getRequest(id))?.status, 'active', 'the held expiry did nothing');
      assert.equal(h.tenant.state.revokeCalls(MAILBOX), 0);

      h.clock.set(extended.expiresAt);
      await h.runScheduler();
      await h.custodian.ctx.afterAnswer.idle();
      assert.equal((await h.custodian.store.getRequest(id))?.status, 'revoked');
      assert.equal(h.tenant.state.revokeCalls(MAILBOX), 1);
    });

    it('work whose lease another instance took over after it lapsed is left to that instance', async () => {
      const id = await activeGrant();
      h.clock.advance(HOUR - 10_000);
      await h.runScheduler();
      const held = (await h.custodian.store.getRequest(id))!;
      // This instance stalls past due time + lease; another instance takes the lapsed lease.
      h.clock.set(held.leaseUntil! + 1);
      const [taken] = await h.custodian.store.claimDue({ now: h.clock.now(), owner: 'other-instance#1', leaseMs: 60_000, limit: 5 });
      assert.equal(taken?.id, id);

      assert.equal(await h.runScheduler(), 1, 'the held item comes due here too');
      assert.equal(h.tenant.state.revokeCalls(MAILBOX), 0, 'but this instance does not act on it');
      const now = (await h.custodian.store.getRequest(id))!;
      assert.deepEqual([now.status, now.leaseOwner], ['active', 'other-instance#1']);
    });

    it('a held request that changed without losing the claim is worked as it is now', async () => {
      await h.say(USERS.adele, `request ${MAILBOX} ticket INC-78 jurisdiction EU access full for 1h because changed while held`);
      const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
      const pending = (await h.custodian.store.getRequest(id))!;
      // Claimed ahead for its expiry without a decision.
      h.clock.set(pending.pendingExpiresAt - 10_000);
      await h.runScheduler();
      const held = (await h.custodian.store.getRequest(id))!;
      assert.match(held.leaseOwner ?? '', /^test-instance#/);
      // Someone writes the request meanwhile (here: the card posted again), keeping the lease fields as they were.
      assert.ok(await h.custodian.store.updateRequest({ ...held, ticket: 'INC-78-b' }, held.version));

      h.clock.set(pending.pendingExpiresAt);
      await h.runScheduler();
      const expired = (await h.custodian.store.getRequest(id))!;
      assert.equal(expired.status, 'expired');
      assert.equal(expired.ticket, 'INC-78-b', 'the change made meanwhile is kept');
      assert.ok(h.personalTexts(USERS.adele).some((line) => line.includes('expired without a decision')));
    });
  });
}
