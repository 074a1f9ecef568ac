import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findingRecords, sweepRecords } from '../../src/app/drift/drift-records';
import { revokeRetryDelayMs } from '../../src/domain/backoff';
import type { DriftFinding } from '../../src/domain/drift-finding';
import type { DriftSweep } from '../../src/domain/drift-sweep';
import { defaultFixture, startLocalTenant } from '../../src/local-tenant';
import { Harness, SECURITY_CHANNEL, USERS, cardText, cardVerbs } from '../support/harness';
import { channel, personal } from '../support/teams-activities';
import { assertValidCard } from '../teams/cards/card-checks';

/** Mailboxes in the default fixture (Grady has none). */
const FIXTURE_MAILBOXES = 10;

describe('drift detection through the real server and the local tenant', function () {
  let h: Harness;

  afterEach(async () => h?.stop());

  /** "sweep" as Megan (security) in her personal chat, then wait for the sweep to finish. */
  async function sweep(): Promise<DriftSweep> {
    const before = new Set((await sweepRecords(h.custodian.store).list()).map((record) => record.id));
    await h.say(USERS.megan, 'sweep', personal(USERS.megan));
    assert.match(h.personalTexts(USERS.megan).at(-1) ?? '', /Sweep started over all mailboxes/);
    await h.custodian.drift.idle();
    const started = (await sweepRecords(h.custodian.store).list()).filter((record) => !before.has(record.id));
    assert.equal(started.length, 1, 'one sweep ran');
    return started[0].body;
  }

  function securityCards(): string[] {
    return h.connector.cards(SECURITY_CHANNEL).map(cardText);
  }

  function findingCards(holder: string, mailbox: string): Record<string, unknown>[] {
    return h.connector
      .cards(SECURITY_CHANNEL)
      .filter((card) => cardText(card).startsWith(`Standing access: ${holder} holds`) && cardText(card).includes(` on ${mailbox}`));
  }

  async function findingOf(holder: string, mailbox: string): Promise<DriftFinding> {
    const all = await findingRecords(h.custodian.store).list();
    const found = all.find((record) => record.body.permission.grantee === holder && record.body.permission.mailbox === mailbox);
    assert.ok(found, `no finding for ${holder} on ${mailbox}`);
    return found.body;
  }

  async function auditOf(type: string) {
    return (await h.custodian.store.listAudit({})).filter((event) => event.type === type);
  }

  it('finds a permission added behind the bot\'s back, removes it on "Remove now", and stays quiet after "Allow"', async () => {
    h = await Harness.start();
    await h.registerChannels();
    // An active Custodian grant explains its own permission.
    await h.say(USERS.adele, 'request alex@contoso.com ticket INC-7 jurisdiction EU access full for 4h because phishing investigation');
    const grantId = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.megan, 'approve', { requestId: grantId });
    // Behind the bot's back: Diego may send as Alex, Adele edits Nestor's inbox.
    h.tenant.state.seedPermission({ mailbox: 'alex@contoso.com', grantee: 'diego@contoso.com', kind: 'SendAs' });
    h.tenant.state.seedPermission({
      mailbox: 'nestor@contoso.com',
      grantee: 'adele@contoso.com',
      kind: 'Folder',
      folder: 'Inbox',
      role: 'Editor',
    });

    const first = await sweep();
    assert.equal(first.status, 'finished');
    assert.equal(first.read, FIXTURE_MAILBOXES);
    assert.equal(first.inScope, FIXTURE_MAILBOXES);
    assert.equal(first.findings.new, 3, "Diego SendAs, Adele Editor, and Johanna's standing FullAccess on Isaiah from the fixture");
    const sendAs = findingCards('diego@contoso.com', 'alex@contoso.com');
    assert.equal(sendAs.length, 1);
    assertValidCard(sendAs[0]);
    assert.deepEqual(cardVerbs(sendAs[0]), ['findingRemove', 'findingAllow']);
    assert.match(cardText(sendAs[0]), /holds SendAs on alex@contoso.com/);
    assert.match(cardText(sendAs[0]), /Since\nunknown \(Exchange does not record when a permission was added\)/);
    assert.match(cardText(findingCards('adele@contoso.com', 'nestor@contoso.com')[0]), /holds Editor on Inbox/);
    assert.equal(findingCards('adele@contoso.com', 'alex@contoso.com').length, 0, "the active grant explains Adele's FullAccess");
    assert.ok(
      securityCards().some(
        (text) =>
          text.includes('Drift sweep') &&
          text.includes(`read ${FIXTURE_MAILBOXES} of ${FIXTURE_MAILBOXES} mailbox(es)`) &&
          text.includes('1 permission(s) explained by active grants'),
      ),
    );
    assert.equal((await auditOf('drift.finding')).length, 3);

    // Only the security role may act; the refusal is audited and reported.
    const diego = await findingOf('diego@contoso.com', 'alex@contoso.com');
    const refused = await h.click(USERS.adele, 'findingRemove', { findingId: diego.id }, channel(SECURITY_CHANNEL));
    assert.match(String(refused.body.value), /Only members of the security role/);
    assert.equal((await auditOf('refused.finding-remove')).length, 1);
    assert.ok(securityCards().some((text) => text.includes('Refused action') && text.includes(diego.id)));
    assert.ok(
      h.tenant.state.permissionsOf('alex@contoso.com').some((p) => p.kind === 'SendAs'),
      'nothing was removed',
    );

    // The click is answered before Exchange is asked; the posted card shows the confirmation afterwards.
    const removed = await h.click(USERS.megan, 'findingRemove', { findingId: diego.id }, channel(SECURITY_CHANNEL));
    assertValidCard(removed.body.value);
    assert.match(cardText(removed.body.value), /Removing…[\s\S]*Removal asked by Megan Bowen; waiting for Exchange to confirm/);
    assert.deepEqual(cardVerbs(removed.body.value), []);
    const confirmedCard = (h.connector.latest(SECURITY_CHANNEL, diego.card!.activityId)!.attachments as { content: unknown }[])[0].content;
    assert.match(cardText(confirmedCard), /Removed at .* as asked by Megan Bowen; Exchange confirmed it/);
    assert.deepEqual(cardVerbs(confirmedCard), []);
    assert.ok(!h.tenant.state.permissionsOf('alex@contoso.com').some((p) => p.kind === 'SendAs'), 'Exchange no longer lists the SendAs');
    assert.ok(
      h.tenant.state.permissionsOf('alex@contoso.com').some((p) => p.grantee === 'adele@contoso.com'),
      "the grant's own permission is untouched",
    );
    const [started] = await auditOf('drift.removal.started');
    assert.equal(started.actor.aadObjectId, USERS.megan.aadObjectId);
    assert.equal(started.mailbox, 'alex@contoso.com');
    assert.equal((await auditOf('drift.removal.confirmed')).length, 1);
    assert.ok(securityCards().some((text) => text.includes('Standing access removed') && text.includes('diego@contoso.com')));
    const posted = (await findingOf('diego@contoso.com', 'alex@contoso.com')).card!;
    assert.match(
      cardText((h.connector.latest(SECURITY_CHANNEL, posted.activityId)!.attachments as { content: unknown }[])[0].content),
      /Removed at/,
      'the posted card was updated in place',
    );

    const johanna = await findingOf('johanna@contoso.com', 'isaiah@contoso.com');
    const noReason = await h.click(USERS.megan, 'findingAllow', { findingId: johanna.id }, channel(SECURITY_CHANNEL));
    assert.match(cardText(noReason.body.value), /Say why .* is allowed/);
    const allowed = await h.click(
      USERS.megan,
      'findingAllow',
      { findingId: johanna.id, reason: "Johanna covers Isaiah's accounts while he is on leave (HR-88)" },
      channel(SECURITY_CHANNEL),
    );
    assert.match(cardText(allowed.body.value), /Allowed by Megan Bowen .*HR-88/);
    const [allowEvent] = await auditOf('drift.finding.allowed');
    assert.equal(allowEvent.details.reason, "Johanna covers Isaiah's accounts while he is on leave (HR-88)");
    assert.equal(allowEvent.actor.aadObjectId, USERS.megan.aadObjectId);
    assert.equal((await auditOf('refused.finding-allow')).length, 1, 'the Allow without a reason was refused and audited');

    const cardsBefore = h.connector.cards(SECURITY_CHANNEL).length;
    const second = await sweep();
    assert.equal(second.findings.new, 0);
    assert.equal(second.findings.stillOpen, 1, "Adele's Editor role on Nestor's inbox is still open");
    assert.equal(second.findings.allowed, 1, 'Johanna on Isaiah is allowed now');
    const newCards = h.connector.cards(SECURITY_CHANNEL).slice(cardsBefore).map(cardText);
    assert.deepEqual(
      newCards.filter((text) => text.startsWith('Standing access:')),
      [],
      'nothing is reported again',
    );
    assert.equal((await findingOf('johanna@contoso.com', 'isaiah@contoso.com')).status, 'allowed');

    // It comes back behind the bot's back: reported again.
    h.tenant.state.seedPermission({ mailbox: 'alex@contoso.com', grantee: 'diego@contoso.com', kind: 'SendAs' });
    const third = await sweep();
    assert.equal(third.findings.reappeared, 1);
    const again = findingCards('diego@contoso.com', 'alex@contoso.com');
    assert.equal(again.length, 2);
    assert.match(cardText(again[1]), /came back \(reported 2 times\)/);
    assert.deepEqual(cardVerbs(again[1]), ['findingRemove', 'findingAllow']);
  });

  it('refuses "Allow" and "Remove now" by the holder of the permission, keeps the buttons for the others, and lets another member act', async () => {
    h = await Harness.start();
    await h.registerChannels();
    await sweep();
    const finding = await findingOf('johanna@contoso.com', 'isaiah@contoso.com');
    const reason = { findingId: finding.id, reason: 'I cover his accounts' };

    // Johanna is in the security role, but the finding is about her own access.
    const allow = await h.click(USERS.johanna, 'findingAllow', reason, channel(SECURITY_CHANNEL));
    assert.match(cardText(allow.body.value), /Separation of duties: you hold the access DRF-\w+ is about, so you cannot allow it/);
    assert.deepEqual(cardVerbs(allow.body.value), ['findingRemove', 'findingAllow'], 'the card still offers both actions');
    const remove = await h.click(USERS.johanna, 'findingRemove', { findingId: finding.id }, channel(SECURITY_CHANNEL));
    assert.match(cardText(remove.body.value), /Separation of duties: .*so you cannot remove it/);
    assert.equal((await findingOf('johanna@contoso.com', 'isaiah@contoso.com')).status, 'open');
    assert.ok(
      h.tenant.state.permissionsOf('isaiah@contoso.com').some((p) => p.grantee === 'johanna@contoso.com'),
      'nothing was removed',
    );
    const next = await sweep();
    assert.equal(next.findings.stillOpen, 1, "the next sweep still reports Johanna's access");
    const refusals = [...(await auditOf('refused.finding-allow')), ...(await auditOf('refused.finding-remove'))];
    assert.deepEqual(
      refusals.map((event) => [event.actor.aadObjectId, event.details.code, event.details.part]),
      [
        [USERS.johanna.aadObjectId, 'separation-of-duties', 'grantee'],
        [USERS.johanna.aadObjectId, 'separation-of-duties', 'grantee'],
      ],
    );
    // Both refusals are audited above; the security chat hears of the first at once and of the second in the
    // aggregated summary (one notice per actor and kind every 15 minutes, src/app/notifiers/refusal-aggregator.ts).
    assert.equal(securityCards().filter((text) => text.includes('Refused action') && text.includes(finding.id)).length, 1);

    const allowed = await h.click(USERS.megan, 'findingAllow', reason, channel(SECURITY_CHANNEL));
    assert.match(cardText(allowed.body.value), /Allowed by Megan Bowen/);
    const [allowEvent] = await auditOf('drift.finding.allowed');
    assert.equal(allowEvent.actor.aadObjectId, USERS.megan.aadObjectId);
  });

  it('a removal that keeps failing is retried with backoff, raised for manual action, and confirmed only when Exchange agrees', async () => {
    h = await Harness.start({ env: { CUSTODIAN_SWEEP_MAILBOXES: 'alex@contoso.com' } });
    await h.registerChannels();
    h.tenant.state.seedPermission({ mailbox: 'alex@contoso.com', grantee: 'diego@contoso.com', kind: 'FullAccess' });
    await h.say(USERS.megan, 'sweep', personal(USERS.megan));
    assert.match(h.personalTexts(USERS.megan).at(-1) ?? '', /Sweep started over the 1 configured mailbox/);
    await h.custodian.drift.idle();
    const finding = await findingOf('diego@contoso.com', 'alex@contoso.com');

    h.tenant.faults.fail({ route: 'exchange:Remove-MailboxPermission', status: 400, times: Infinity });
    await h.click(USERS.megan, 'findingRemove', { findingId: finding.id }, channel(SECURITY_CHANNEL));
    const updated = (h.connector.latest(SECURITY_CHANNEL, finding.card!.activityId)!.attachments as { content: unknown }[])[0].content;
    assert.match(cardText(updated), /1 attempt\(s\) failed .*Custodian keeps retrying/);
    for (let attempt = 1; attempt < 3; attempt++) {
      h.clock.advance(revokeRetryDelayMs(attempt));
      await h.runScheduler();
      await h.custodian.drift.idle();
    }
    const failing = await findingOf('diego@contoso.com', 'alex@contoso.com');
    assert.equal(failing.status, 'removing');
    assert.equal(failing.removal?.attempts, 3);
    assert.ok(
      securityCards().some((text) => text.includes('MANUAL ACTION NEEDED: removing FullAccess of diego@contoso.com on alex@contoso.com')),
    );
    assert.equal((await auditOf('drift.removal.failed')).length, 3);
    assert.equal((await auditOf('drift.removal.manual-action-raised')).length, 1);
    assert.ok(h.tenant.state.permissionsOf('alex@contoso.com').some((p) => p.grantee === 'diego@contoso.com'));

    h.clock.advance(revokeRetryDelayMs(3) - 1);
    await h.runScheduler();
    assert.equal((await findingOf('diego@contoso.com', 'alex@contoso.com')).removal?.attempts, 3, 'not retried before it is due');
    h.tenant.faults.reset();
    h.clock.advance(1);
    await h.runScheduler();
    const done = await findingOf('diego@contoso.com', 'alex@contoso.com');
    assert.equal(done.status, 'removed');
    assert.equal(done.removal?.attempts, 4);
    assert.ok(!h.tenant.state.permissionsOf('alex@contoso.com').some((p) => p.grantee === 'diego@contoso.com'));
  });

  it('sweeps 2,000 mailboxes through paging and throttling and covers every one', async function () {
    // About 14,000 HTTPS requests in this process (each mailbox's inbox and calendar are found by type first): 66 s with the machine's
    // load at 9. The limit only stops a hung sweep; how fast a sweep is belongs to `npm run bench -- --only sweep`.
    this.timeout(180_000);
    const tenant = await startLocalTenant({ fixture: defaultFixture({ extraMailboxes: 2000 }) });
    try {
      tenant.state.pageSize.exchange = 100;
      tenant.state.seedPermission({ mailbox: 'user01999@contoso.com', grantee: 'adele@contoso.com', kind: 'SendOnBehalf' });
      h = await Harness.start({ tenant, env: { CUSTODIAN_SWEEP_CONCURRENCY: '16' } });
      await h.registerChannels();
      tenant.state.resetCounters();
      tenant.faults.throttle({ route: 'exchange', times: 60, retryAfterSeconds: 1 });
      const result = await sweep();
      const total = 2000 + FIXTURE_MAILBOXES;
      assert.equal(result.status, 'finished');
      assert.equal(result.inScope, total);
      assert.equal(result.read, total);
      assert.equal(result.unreadCount, 0);
      assert.equal(tenant.faults.applied.throttle, 60, 'Exchange throttled the sweep 60 times and each was waited out');
      const listingPages = Math.ceil(total / 100);
      assert.ok(tenant.state.callCount('exchange:Get-Mailbox') >= total + listingPages, 'the mailbox list was read page by page');
      for (const mailbox of ['user00001@contoso.com', 'user01000@contoso.com', 'user02000@contoso.com', 'alex@contoso.com']) {
        assert.ok(tenant.state.callCount(`exchange-mailbox:${mailbox}`) >= 3, `${mailbox} was not read`);
      }
      assert.equal(findingCards('adele@contoso.com', 'user01999@contoso.com').length, 1, 'the permission on the last page was found');
      assert.ok(securityCards().some((text) => text.includes(`read ${total} of ${total} mailbox(es)`)));
    } finally {
      await h?.stop();
      h = undefined as unknown as Harness;
      await tenant.close();
    }
  });

  it('reports a mailbox it could not read as not read, and never as clean', async () => {
    h = await Harness.start();
    await h.registerChannels();
    h.tenant.state.seedPermission({ mailbox: 'lynne@contoso.com', grantee: 'diego@contoso.com', kind: 'FullAccess' });
    const first = await sweep();
    assert.equal(first.status, 'finished');
    const lynne = await findingOf('diego@contoso.com', 'lynne@contoso.com');

    // Now Lynne's mailbox keeps failing, and the permission on it is also gone: the sweep must not call the finding resolved.
    h.tenant.faults.fail({ route: 'exchange-mailbox:lynne@contoso.com', status: 400, times: Infinity });
    h.tenant.state.mailboxes.get('lynne@contoso.com')!.fullAccess.clear();
    const second = await sweep();
    assert.equal(second.status, 'partial');
    assert.equal(second.read, FIXTURE_MAILBOXES - 1);
    assert.equal(second.unreadCount, 1);
    assert.equal(second.unread[0].mailbox, 'lynne@contoso.com');
    assert.equal(
      (await findingOf('diego@contoso.com', 'lynne@contoso.com')).status,
      'open',
      'an unread mailbox says nothing about its findings',
    );
    assert.equal(lynne.status, 'open');
    const summary = securityCards()
      .filter((text) => text.includes('Drift sweep'))
      .at(-1)!;
    assert.match(summary, new RegExp(`read ${FIXTURE_MAILBOXES - 1} of ${FIXTURE_MAILBOXES}`));
    assert.match(summary, /NOT READ: 1 mailbox\(es\) could not be read, so nothing is known about them: lynne@contoso.com/);
    const [, finished] = await auditOf('drift.sweep.finished');
    assert.deepEqual(finished.details.unread, ['lynne@contoso.com']);
    assert.equal(finished.details.status, 'partial');

    // Readable again and the permission really gone: now it is resolved.
    h.tenant.faults.reset();
    const third = await sweep();
    assert.equal(third.status, 'finished');
    assert.equal(third.findings.gone, 1);
    assert.equal((await findingOf('diego@contoso.com', 'lynne@contoso.com')).status, 'gone');

    // A sweep that cannot list the mailboxes checks nothing and says so.
    h.tenant.faults.fail({ route: 'exchange:Get-Mailbox', status: 400, times: 1 });
    const failed = await sweep();
    assert.equal(failed.status, 'failed');
    assert.match(
      securityCards()
        .filter((text) => text.includes('Drift sweep'))
        .at(-1)!,
      /could not run: the mailbox list could not be read.*No mailbox was checked/s,
    );
  });

  it('announces a finding made before the security conversation was registered at the next sweep, once', async () => {
    h = await Harness.start();
    const first = await sweep();
    assert.equal(first.findings.new, 1, "Johanna's standing FullAccess on Isaiah (fixture)");
    assert.equal(h.connector.cards(SECURITY_CHANNEL).length, 0, 'nowhere to post yet');
    await h.registerChannels();
    await sweep();
    assert.equal(findingCards('johanna@contoso.com', 'isaiah@contoso.com').length, 1);
    await sweep();
    assert.equal(findingCards('johanna@contoso.com', 'isaiah@contoso.com').length, 1, 'announced once');
  });

  it('lets only the security role sweep, lists open findings on request, and honours the allow-list file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custodian-allow-'));
    try {
      const file = join(dir, 'allow.yaml');
      writeFileSync(
        file,
        [
          'version: 1',
          'allow:',
          '  - mailbox: isaiah@contoso.com',
          '    grantee: johanna@contoso.com',
          '    permission: FullAccess',
          "    reason: Johanna is Isaiah's standing deputy (HR-12)",
          '',
        ].join('\n'),
      );
      h = await Harness.start({ env: { CUSTODIAN_DRIFT_ALLOWLIST_FILE: file } });
      await h.registerChannels();
      await h.say(USERS.adele, 'sweep');
      assert.ok(h.personalTexts(USERS.adele).some((text) => text.includes('Only members of the security role can start a sweep')));
      assert.equal((await auditOf('refused.sweep')).length, 1);
      assert.equal(
        await sweepRecords(h.custodian.store)
          .list()
          .then((list) => list.length),
        0,
      );

      h.tenant.state.seedPermission({ mailbox: 'megan@contoso.com', grantee: 'diego@contoso.com', kind: 'SendOnBehalf' });
      const result = await sweep();
      assert.equal(result.findings.new, 1, 'Johanna on Isaiah is allowed by the file');
      assert.equal(result.findings.allowed, 1);
      await h.say(USERS.megan, 'sweep findings', personal(USERS.megan));
      const listed = h.personalCards(USERS.megan).map(cardText);
      assert.ok(listed.some((text) => text.includes('diego@contoso.com holds SendOnBehalf on megan@contoso.com')));
      assert.ok(!listed.some((text) => text.includes('isaiah@contoso.com')));
      await h.say(USERS.adele, 'sweep findings');
      assert.ok(h.personalTexts(USERS.adele).some((text) => text.includes('Only members of the security role can see drift findings')));

      writeFileSync(
        file,
        ['version: 1', 'allow:', '  - mailbox: not-an-address', '    grantee: "*"', '    permission: Full', ''].join('\n'),
      );
      await assert.rejects(Harness.start({ env: { CUSTODIAN_DRIFT_ALLOWLIST_FILE: file } }), (error: Error) => {
        assert.match(error.message, /allow\[0\]\.mailbox must be an e-mail address or "\*"/);
        assert.match(error.message, /allow\[0\]\.permission must be one of FullAccess, SendAs, SendOnBehalf, Folder, \*/);
        assert.match(error.message, /allow\[0\]\.reason is required/);
        assert.match(error.message, /line 3/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
