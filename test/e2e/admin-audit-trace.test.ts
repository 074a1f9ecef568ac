import assert from 'node:assert/strict';
import { traceFindingRecords } from '../../src/app/trace/trace-records';
import { describeAccess } from '../../src/domain/access-level';
import type { TraceFinding } from '../../src/domain/trace-finding';
import { rogueFullAccess } from '../../src/local-tenant/admin-audit';
import { Harness, SECURITY_CHANNEL, USERS, cardText, cardVerbs } from '../support/harness';
import { channel } from '../support/teams-activities';
import { assertValidCard } from '../teams/cards/card-checks';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const HALF_HOUR = 30 * 60_000;
const ENV = { CUSTODIAN_TRACE_RETRY_SECONDS: '0', CUSTODIAN_TRACE_LATE_HOURS: '24' };

describe('admin-audit correlation through the real server and the local tenant', function () {
  let h: Harness;

  afterEach(async () => h?.stop());

  async function start(): Promise<void> {
    h = await Harness.start({ env: ENV });
    // The tenant stamps its audit records with the test's time.
    h.tenant.state.now = () => h.clock.now();
    await h.registerChannels();
  }

  async function trace() {
    h.clock.advance(HALF_HOUR);
    const run = await h.custodian.runTrace!();
    await h.settle();
    return run;
  }

  function traceCards(prefix: string): Record<string, unknown>[] {
    return h.connector.cards(SECURITY_CHANNEL).filter((card) => cardText(card).startsWith(prefix));
  }

  async function findings(): Promise<TraceFinding[]> {
    return (await traceFindingRecords(h.custodian.store).list()).map((record) => record.body);
  }

  async function auditOf(type: string) {
    return (await h.custodian.store.listAudit({})).filter((event) => event.type === type);
  }

  function fullAccessOn(mailbox: string): string[] {
    return h.tenant.state.permissionsOf(mailbox).flatMap((p) => (p.kind === 'FullAccess' ? [p.grantee] : []));
  }

  it('raises a card for a FullAccess granted outside Custodian, and "Remove now" takes it away in Exchange', async () => {
    await start();
    rogueFullAccess(h.tenant.state, 'adele@contoso.com', 'adele@contoso.com', 'alex@contoso.com');
    const run = await trace();
    assert.equal(run.admin.status, 'done');
    assert.equal(run.admin.raised, 1);
    const cards = traceCards('Untraced change: adele@contoso.com gave FullAccess to adele@contoso.com on alex@contoso.com');
    assert.equal(cards.length, 1);
    assertValidCard(cards[0]);
    assert.deepEqual(cardVerbs(cards[0]), ['traceRemove', 'traceLink', 'traceAccept']);
    assert.match(cardText(cards[0]), /Parameters\nIdentity=alex@contoso.com; User=adele@contoso.com; AccessRights=FullAccess/);
    const [finding] = await findings();
    assert.equal((await auditOf('trace.finding.untraced')).length, 1);

    // Only the security role may act on it.
    const refused = await h.click(USERS.adele, 'traceRemove', { findingId: finding.id }, channel(SECURITY_CHANNEL));
    assert.match(String(refused.body.value), /Only members of the security role/);
    assert.deepEqual(fullAccessOn('alex@contoso.com'), ['adele@contoso.com']);

    const removed = await h.click(USERS.megan, 'traceRemove', { findingId: finding.id }, channel(SECURITY_CHANNEL));
    assertValidCard(removed.body.value);
    assert.match(cardText(removed.body.value), /Removing…/);
    assert.deepEqual(fullAccessOn('alex@contoso.com'), [], 'Exchange no longer lists the FullAccess');
    assert.equal((await auditOf('trace.finding.remove')).length, 1);
    assert.equal((await auditOf('drift.removal.confirmed')).length, 1);
    // Custodian's own removal is in the audit log too, and is traced (no new card).
    const after = await trace();
    assert.equal(after.admin.raised, 0);
    assert.ok(after.admin.traced >= 1);
    // The next run sees the drift removal confirmed and closes the finding, on its card too.
    const [closed] = await findings();
    assert.equal(closed.status, 'removed');
    assert.equal((await auditOf('trace.finding.removed')).length, 1);
    const card = (h.connector.latest(SECURITY_CHANNEL, closed.card!.activityId)!.attachments as { content: unknown }[])[0].content;
    assert.match(cardText(card), /Removed at .* as asked by Megan Bowen \(DRF-[0-9a-f]{12}\); Exchange confirmed it/);
    assert.deepEqual(cardVerbs(card), []);
  });

  it('traces a Custodian grant and its revocation without an alert', async () => {
    await start();
    await h.say(USERS.adele, 'request alex@contoso.com ticket INC-7 jurisdiction EU access full for 4h because phishing investigation');
    const requestId = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.megan, 'approve', { requestId });
    assert.deepEqual(fullAccessOn('alex@contoso.com'), ['adele@contoso.com']);
    await h.say(USERS.adele, `release ${requestId}`);
    assert.deepEqual(fullAccessOn('alex@contoso.com'), []);
    const run = await trace();
    assert.equal(run.admin.raised, 0);
    assert.equal(run.admin.traced, 2, 'the grant and its removal');
    assert.equal(traceCards('Untraced change').length, 0);
    assert.equal((await findings()).length, 0);
  });

  it("flags a change by Custodian's app that its request did not ask for as a mismatch", async () => {
    await start();
    await h.say(USERS.adele, 'request alex@contoso.com ticket INC-8 jurisdiction EU access full for 4h because phishing investigation');
    const requestId = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.megan, 'approve', { requestId });
    // The app's credentials giving Adele FullAccess on another mailbox.
    await h.m365.exchange.grant({ mailbox: 'nestor@contoso.com', grantee: 'adele@contoso.com', access: 'FullAccess' });
    const run = await trace();
    assert.equal(run.admin.traced, 1);
    assert.equal(run.admin.raised, 1);
    const [finding] = await findings();
    assert.equal(finding.kind, 'mismatch');
    assert.equal(finding.requestId, requestId);
    assert.match(
      cardText(traceCards('Change does not match its request')[0]),
      new RegExp(`${requestId} asked for ${escapeRegExp(describeAccess('FullAccess'))} of adele@contoso.com on alex@contoso.com`),
    );
  });

  it('finds a record that arrives two windows late exactly once', async () => {
    await start();
    h.tenant.state.audit.arrivalDelayMs = 2 * HALF_HOUR + 60_000;
    rogueFullAccess(h.tenant.state, 'adele@contoso.com', 'diego@contoso.com', 'alex@contoso.com');
    assert.equal((await trace()).admin.raised, 0, 'not searchable yet');
    assert.equal((await trace()).admin.raised, 0, 'still not searchable');
    const late = await trace();
    assert.equal(late.admin.raised, 1);
    const again = await trace();
    assert.equal(again.admin.raised, 0);
    assert.equal(again.admin.known, 1, 'the overlapping window sees it again and knows it');
    assert.equal(traceCards('Untraced change: adele@contoso.com gave FullAccess to diego@contoso.com').length, 1);
  });

  it('neither skips nor repeats across a restart', async () => {
    await start();
    rogueFullAccess(h.tenant.state, 'adele@contoso.com', 'diego@contoso.com', 'alex@contoso.com');
    assert.equal((await trace()).admin.raised, 1);
    rogueFullAccess(h.tenant.state, 'adele@contoso.com', 'diego@contoso.com', 'nestor@contoso.com');
    await h.restart();
    h.tenant.state.now = () => h.clock.now();
    const run = await trace();
    assert.equal(run.admin.raised, 1, 'the change made while the bot was down');
    assert.equal(run.admin.known, 1, 'the earlier one is not raised again');
    assert.equal((await findings()).length, 2);
  });

  it('retries a failed search, reports it, and searches the same window again next time', async () => {
    await start();
    rogueFullAccess(h.tenant.state, 'adele@contoso.com', 'diego@contoso.com', 'alex@contoso.com');
    h.tenant.state.audit.outcome = 'failed';
    const failed = await trace();
    assert.equal(failed.admin.status, 'failed');
    assert.match(failed.admin.error ?? '', /failed/);
    assert.equal(h.tenant.state.callCount('audit:create'), 3 * 2, 'three attempts for each part');
    assert.equal((await auditOf('trace.search-failed')).length, 2);
    assert.ok(
      h.connector.cards(SECURITY_CHANNEL).some((card) => /The audit search for changes to mailbox access .* failed/.test(cardText(card))),
    );
    h.tenant.state.audit.outcome = 'succeeded';
    assert.equal((await trace()).admin.raised, 1);
  });

  it('alerts on a delegate opening a mailbox without a grant, not on one holding a grant', async () => {
    await start();
    await h.say(USERS.adele, 'request alex@contoso.com ticket INC-9 jurisdiction EU access full for 4h because phishing investigation');
    const requestId = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.megan, 'approve', { requestId });
    const at = new Date(h.clock.now() + 60_000).toISOString();
    for (const actor of ['adele@contoso.com', 'diego@contoso.com']) {
      h.tenant.state.addAuditRecord({
        createdDateTime: at,
        operation: 'MailItemsAccessed',
        userPrincipalName: actor,
        auditLogRecordType: 'exchangeItemAggregated',
        mailboxOwnerUPN: 'alex@contoso.com',
        auditData: { LogonType: 2 },
      });
    }
    const run = await trace();
    assert.equal(run.access?.raised, 1);
    assert.equal(run.access?.traced, 1, "Adele's access is her grant");
    const cards = traceCards('Access without a grant: diego@contoso.com opened alex@contoso.com');
    assert.equal(cards.length, 1);
    assertValidCard(cards[0]);
    assert.deepEqual(cardVerbs(cards[0]), ['traceLink', 'traceAccept']);
  });

  it('stops early at the alert bound and says so; the next run goes on from there', async () => {
    h = await Harness.start({ env: { ...ENV, CUSTODIAN_TRACE_MAX_ACCESS_ALERTS: '2' } });
    h.tenant.state.now = () => h.clock.now();
    await h.registerChannels();
    for (let i = 0; i < 3; i++) {
      h.tenant.state.addAuditRecord({
        createdDateTime: new Date(h.clock.now() + (i + 1) * 1000).toISOString(),
        operation: 'MailboxLogin',
        userPrincipalName: 'diego@contoso.com',
        mailboxOwnerUPN: 'alex@contoso.com',
        auditData: { LogonType: 1 },
      });
    }
    const first = await trace();
    assert.equal(first.access?.status, 'stopped-early');
    assert.equal(first.access?.raised, 2);
    assert.ok(
      h.connector
        .texts(SECURITY_CHANNEL)
        .concat(h.connector.cards(SECURITY_CHANNEL).map(cardText))
        .some((t) => /stopped early after 2 alert/.test(t)),
    );
    const second = await trace();
    assert.equal(second.access?.raised, 1);
    assert.equal((await findings()).length, 3);
  });

  it("refuses a verdict on one's own change, and records Link and Accept", async () => {
    await start();
    rogueFullAccess(h.tenant.state, 'megan@contoso.com', 'megan@contoso.com', 'alex@contoso.com');
    rogueFullAccess(h.tenant.state, 'adele@contoso.com', 'adele@contoso.com', 'nestor@contoso.com');
    await trace();
    const all = await findings();
    const megans = all.find((f) => f.change?.actor === 'megan@contoso.com')!;
    const adeles = all.find((f) => f.change?.actor === 'adele@contoso.com')!;
    const own = await h.click(USERS.megan, 'traceAccept', { findingId: megans.id, reason: 'testing' }, channel(SECURITY_CHANNEL));
    assert.match(
      cardText(own.body.value),
      /Separation of duties: you made the change TRC-\w+ is about, so you cannot accept it; someone else must/,
    );
    const [refused] = await auditOf('refused.trace-accept');
    assert.equal(refused.details.code, 'separation-of-duties');
    assert.equal((await auditOf('refused.trace-accept')).length, 1);

    const noReason = await h.click(USERS.megan, 'traceAccept', { findingId: adeles.id }, channel(SECURITY_CHANNEL));
    assert.match(cardText(noReason.body.value), /Say why/);
    const wrongLink = await h.click(
      USERS.megan,
      'traceLink',
      { findingId: adeles.id, requestId: 'CUS-2026-0099' },
      channel(SECURITY_CHANNEL),
    );
    assert.match(cardText(wrongLink.body.value), /No request CUS-2026-0099 exists/);
    const accepted = await h.click(
      USERS.megan,
      'traceAccept',
      { findingId: adeles.id, reason: 'Approved on ticket INC-42 by phone' },
      channel(SECURITY_CHANNEL),
    );
    assert.match(cardText(accepted.body.value), /Accepted by Megan Bowen/);
    assert.deepEqual(cardVerbs(accepted.body.value), []);
    const [event] = await auditOf('trace.finding.accepted');
    assert.equal(event.actor.aadObjectId, USERS.megan.aadObjectId);
    assert.equal(event.details.reason, 'Approved on ticket INC-42 by phone');
  });
});
