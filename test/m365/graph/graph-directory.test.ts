import assert from 'node:assert/strict';
import { GraphError } from '../../../src/m365/graph/graph-error';
import { IDS, useLocalTenant } from '../local-tenant-harness';

describe('m365/graph/graph-directory against the local tenant', () => {
  describe('look-ups', () => {
    const h = useLocalTenant();

    it('finds a user by UPN and by primary SMTP address, with mailbox presence', async () => {
      const alex = await h.m365.directory.findUser('Alex@Contoso.com');
      assert.deepEqual(alex, {
        id: IDS.alex,
        displayName: 'Alex Wilber',
        userPrincipalName: 'alex@contoso.com',
        mail: 'alex@contoso.com',
        hasMailbox: true,
      });
      h.tenant.state.userById(IDS.alex)!.mail = 'alex.wilber@contoso.com';
      const byMail = await h.m365.directory.findUser('alex.wilber@contoso.com');
      assert.equal(byMail?.id, IDS.alex);
    });

    it('returns null for an unknown user and reports a user without a mailbox', async () => {
      assert.equal(await h.m365.directory.findUser('nobody@contoso.com'), null);
      const grady = await h.m365.directory.findUser('grady@contoso.com');
      assert.equal(grady?.hasMailbox, false);
    });

    it("escapes quotes in the filter (o'brien)", async () => {
      assert.equal(await h.m365.directory.findUser("o'brien@contoso.com"), null);
    });

    it("keeps '+' and '&' in addresses intact", async () => {
      h.tenant.state.userById(IDS.alex)!.mail = 'alex+sales&ops@contoso.com';
      assert.equal((await h.m365.directory.findUser('alex+sales&ops@contoso.com'))?.id, IDS.alex);
    });

    it('gets a user by object ID, or null', async () => {
      assert.equal((await h.m365.directory.getUser(IDS.megan))?.userPrincipalName, 'megan@contoso.com');
      assert.equal(await h.m365.directory.getUser('a0000000-0000-4000-8000-0000000000ff'), null);
    });

    it('returns the manager, or null when there is none', async () => {
      assert.equal((await h.m365.directory.getManager(IDS.diego))?.userPrincipalName, 'adele@contoso.com');
      assert.equal((await h.m365.directory.getManager(IDS.alex))?.id, IDS.nestor);
      assert.equal(await h.m365.directory.getManager(IDS.megan), null);
    });

    it('checks membership transitively (through nested groups)', async () => {
      assert.equal(await h.m365.directory.isMemberOf(IDS.johanna, IDS.securityTeam), true);
      assert.equal(await h.m365.directory.isMemberOf(IDS.johanna, IDS.itSecurityApprovers), false);
      // Put the Security Team inside "Custodian Admins": Johanna becomes a member through it.
      h.tenant.state.groups.get(IDS.custodianAdmins)!.members.push(IDS.securityTeam);
      assert.equal(await h.m365.directory.isMemberOf(IDS.johanna, IDS.custodianAdmins), true);
      assert.equal(await h.m365.directory.isMemberOf('a0000000-0000-4000-8000-0000000000ff', IDS.hr), false);
    });

    it('rejects malformed input before calling Graph', async () => {
      await assert.rejects(h.m365.directory.findUser('not an address'), /must be a UPN or e-mail address/);
      await assert.rejects(h.m365.directory.getUser('alex'), /must be an Entra object ID/);
      await assert.rejects(h.m365.directory.isMemberOf(IDS.alex, 'HR'), /Group ID must be an Entra object ID/);
      assert.equal(h.tenant.state.callCount('graph'), 0);
    });
  });

  describe('missing permissions', () => {
    const h = useLocalTenant();

    it('answers 403 Authorization_RequestDenied when the app lacks User.Read.All', async () => {
      h.tenant.state.app.graphRoles.delete('User.Read.All');
      const err = await h.m365.directory.getUser(IDS.alex).catch((e: unknown) => e);
      assert.ok(err instanceof GraphError);
      assert.equal(err.status, 403);
      assert.equal(err.code, 'Authorization_RequestDenied');
      assert.equal(err.transient, false);
      assert.equal(h.tenant.state.callCount('graph:user'), 1, 'a 403 is not retried');
      assert.ok(!/eyJ/.test(err.message), 'no token in the message');
    });
  });

  describe('throttling and failures', () => {
    const h = useLocalTenant({ config: { callBudgetMs: 3_000, requestTimeoutMs: 600 } });

    it('waits the Retry-After of a 429 and then succeeds, within the budget', async () => {
      h.tenant.faults.throttle({ route: 'graph:user', retryAfterSeconds: 1 });
      const started = Date.now();
      const user = await h.m365.directory.getUser(IDS.alex);
      const elapsed = Date.now() - started;
      assert.equal(user?.id, IDS.alex);
      assert.deepEqual(h.waits, [1_000]);
      assert.ok(elapsed >= 950, `waited ${elapsed} ms`);
      assert.ok(elapsed < 3_000, `took ${elapsed} ms`);
      assert.equal(h.tenant.state.callCount('graph:user'), 2);
    });

    it('gives up with the 429 when throttling outlasts the budget', async () => {
      h.tenant.faults.throttle({ route: 'graph:user', retryAfterSeconds: 1, times: Infinity });
      const started = Date.now();
      const err = await h.m365.directory.getUser(IDS.alex).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      assert.ok(err instanceof GraphError);
      assert.equal(err.status, 429);
      assert.equal(err.retryAfterMs, 1_000);
      assert.ok(elapsed < 3_000, `took ${elapsed} ms`);
      assert.ok(h.waits.length >= 2);
    });

    it('retries a 500 and a 503', async () => {
      h.tenant.faults.fail({ route: 'graph:manager', status: 500 }).fail({ route: 'graph:manager', status: 503 });
      assert.equal((await h.m365.directory.getManager(IDS.diego))?.id, IDS.adele);
      assert.equal(h.tenant.state.callCount('graph:manager'), 3);
      assert.equal(h.waits.length, 2);
    });

    it('retries a dropped connection', async () => {
      h.tenant.faults.drop({ route: 'graph:checkMemberGroups' });
      assert.equal(await h.m365.directory.isMemberOf(IDS.megan, IDS.itSecurityApprovers), true);
      assert.equal(h.tenant.state.callCount('graph:checkMemberGroups'), 2);
    });

    it('times out a slow answer, retries, and fails with a timeout when every answer is slow', async () => {
      h.tenant.faults.slow({ route: 'graph:user', delayMs: 1_500 });
      assert.equal((await h.m365.directory.getUser(IDS.alex))?.id, IDS.alex);

      h.tenant.faults.slow({ route: 'graph:user', delayMs: 1_500, times: Infinity });
      const started = Date.now();
      const err = await h.m365.directory.getUser(IDS.alex).catch((e: unknown) => e);
      assert.ok(err instanceof GraphError);
      assert.equal(err.code, 'timeout');
      assert.ok(Date.now() - started < 3_800, 'bounded by the budget');
    });

    it('reports a malformed body as malformedResponse', async () => {
      h.tenant.faults.malformed({ route: 'graph:user' });
      const err = await h.m365.directory.getUser(IDS.alex).catch((e: unknown) => e);
      assert.ok(err instanceof GraphError);
      assert.equal(err.code, 'malformedResponse');
      assert.equal(err.transient, false);
    });
  });
});
