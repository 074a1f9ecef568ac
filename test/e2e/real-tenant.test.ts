import assert from 'node:assert/strict';
import { startLocalTenant, type LocalTenant } from '../../src/local-tenant';
import { Harness, SECURITY_CHANNEL, USERS, cardText } from '../support/harness';
import { personal } from '../support/teams-activities';

// End to end through the real server against the simulated tenant as real
// tenants answer (its default), with Exchange as slow as a real one where the
// scenario allows it (the "real" latency profile: changes 2-5 s, reads 0.5-1.5 s).

const HOUR = 3_600_000;
const QUICK = 'exchangeChange=100-200,exchangeRead=20-60,graph=5-20';

describe('a realistic tenant, end to end', function () {
  let h: Harness | undefined;
  let tenant: LocalTenant | undefined;

  afterEach(async () => {
    await h?.stop();
    await tenant?.close();
    h = undefined;
    tenant = undefined;
  });

  async function start(latency: string): Promise<Harness> {
    tenant = await startLocalTenant({ latency });
    h = await Harness.start({ tenant });
    await h.registerChannels();
    return h;
  }

  const requestId = (harness: Harness) => /CUS-\d{4}-\d{4}/.exec(cardText(harness.personalCards(USERS.adele).at(-1)))![0];

  it('accepts and grants EU FullAccess on a mailbox whose AuditEnabled is false in an audited organization', async function () {
    this.timeout(90_000);
    const harness = await start('real');
    assert.equal(tenant!.state.mailbox('kari@contoso.com')!.auditEnabled, false);
    await harness.say(
      USERS.adele,
      'request kari@contoso.com ticket INC-12 jurisdiction EU access full for 1h because invoice fraud investigation',
    );
    assert.doesNotMatch(cardText(harness.personalCards(USERS.adele).at(-1)), /auditing is disabled/);
    const id = requestId(harness);
    await harness.click(USERS.megan, 'approve', { requestId: id });
    const granted = (await harness.custodian.store.getRequest(id))!;
    assert.equal(granted.status, 'active', granted.grantError);
    assert.ok(tenant!.state.mailbox('kari@contoso.com')!.fullAccess.has('adele@contoso.com'));
  });

  it('lands a folder grant on the Norwegian mailbox on Innboks, shows that name, and removes it on release', async function () {
    this.timeout(120_000);
    const harness = await start('real');
    await harness.say(
      USERS.adele,
      'request kari@contoso.com ticket INC-13 jurisdiction EU access read folder Inbox for 1h because checking a supplier invoice',
    );
    const id = requestId(harness);
    await harness.click(USERS.megan, 'approve', { requestId: id });
    const active = (await harness.custodian.store.getRequest(id))!;
    assert.equal(active.status, 'active', active.grantError);
    assert.equal(active.folder, 'Innboks');
    assert.equal(tenant!.state.mailbox('kari@contoso.com')!.folders.get('Inbox')?.get('adele@contoso.com'), 'Reviewer');
    assert.match(harness.personalTexts(USERS.adele).join('\n'), /Read-only access to Innboks on kari@contoso\.com/);
    const confirmed = (await harness.custodian.store.listAudit({ requestId: id })).find((event) => event.type === 'grant.confirmed');
    assert.equal(confirmed?.details.folder, 'Innboks');

    await harness.say(USERS.adele, `release ${id}`, personal(USERS.adele));
    await harness.runScheduler();
    const released = (await harness.custodian.store.getRequest(id))!;
    assert.equal(released.status, 'revoked');
    assert.equal(tenant!.state.mailbox('kari@contoso.com')!.folders.get('Inbox')?.size ?? 0, 0);
    assert.match(harness.personalTexts(USERS.adele).join('\n'), /Removed in Exchange at .*may keep working for a few minutes/);
  });

  it('sweeps with Get-RecipientPermission forbidden: FullAccess and folder findings still come, and it says SendAs was not read', async function () {
    this.timeout(90_000);
    const harness = await start(QUICK);
    tenant!.state.app.forbiddenCmdlets.add('Get-RecipientPermission');
    tenant!.state.seedPermission({
      mailbox: 'kari@contoso.com',
      grantee: 'diego@contoso.com',
      kind: 'Folder',
      folder: 'Inbox',
      role: 'Editor',
    });
    tenant!.state.seedOtherHolder('alex@contoso.com', 'Discovery Management');
    await harness.say(USERS.megan, 'sweep', personal(USERS.megan));
    await harness.custodian.drift.idle();
    const cards = harness.connector.cards(SECURITY_CHANNEL).map(cardText);
    assert.ok(
      cards.some((text) => text.startsWith('Standing access: johanna@contoso.com holds FullAccess on isaiah@contoso.com')),
      'FullAccess finding',
    );
    assert.ok(
      cards.some(
        (text) => text.startsWith('Standing access: diego@contoso.com holds Editor on Innboks') && text.includes('kari@contoso.com'),
      ),
      'folder finding on the localized inbox',
    );
    assert.ok(
      cards.some((text) => text.startsWith('Standing access: Discovery Management holds FullAccess on alex@contoso.com')),
      'a role group is shown as it is',
    );
    const summary = cards.filter((text) => text.includes('Drift sweep')).at(-1)!;
    assert.match(summary, /NOT CHECKED in any mailbox: SendAs \(the app's Exchange role does not include Get-RecipientPermission\)/);
  });

  it('reports after-access activity although the audit search works only on beta', async function () {
    this.timeout(90_000);
    const harness = await start(QUICK);
    assert.equal(tenant!.state.realism.auditSearchV1NotFound, true);
    await harness.say(
      USERS.adele,
      'request alex@contoso.com ticket INC-14 jurisdiction EU access full for 1h because phishing investigation',
    );
    const id = requestId(harness);
    await harness.click(USERS.megan, 'approve', { requestId: id });
    const grantedAt = (await harness.custodian.store.getRequest(id))!.grantedAt!;
    tenant!.state.addAuditRecord({
      createdDateTime: new Date(grantedAt + 60_000).toISOString(),
      operation: 'MailItemsAccessed',
      userPrincipalName: 'adele@contoso.com',
      mailboxOwnerUPN: 'alex@contoso.com',
      auditLogRecordType: 'exchangeItem',
    });
    harness.clock.advance(2 * HOUR);
    await harness.runScheduler();
    const done = (await harness.custodian.store.getRequest(id))!;
    assert.equal(done.activity?.status, 'done', done.activity?.reason);
    assert.equal(done.activity?.recordCount, 1);
    assert.equal(tenant!.state.callCount('audit:v1.0'), 0);
    assert.ok(tenant!.state.callCount('audit:beta') >= 3, 'create, status and records on beta');
  });
});
