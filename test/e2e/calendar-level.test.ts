import assert from 'node:assert/strict';
import { findingRecords } from '../../src/app/drift/drift-records';
import { Harness, SECURITY_CHANNEL, USERS, cardText, cardVerbs } from '../support/harness';
import { channel, personal } from '../support/teams-activities';

// The Calendar level through the real server and the simulated tenant: a
// Reviewer grant on the calendar found by its type (Kari's Norwegian mailbox
// names it "Kalender"), removed on release and on expiry, and a standing
// calendar permission found by the sweep and removed on "Remove now".

const HOUR = 3_600_000;

describe('the Calendar access level, end to end', function () {
  let h: Harness;

  beforeEach(async () => {
    h = await Harness.start();
    await h.registerChannels();
  });
  afterEach(async () => h.stop());

  async function request(line: string): Promise<string> {
    await h.say(USERS.adele, line);
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))?.[0];
    assert.ok(id, cardText(h.personalCards(USERS.adele).at(-1)));
    return id;
  }

  const calendarOf = (mailbox: string) => h.tenant.state.mailbox(mailbox)!.folders.get('Calendar');

  it('grants Reviewer on the Norwegian mailbox\'s "Kalender", leaves the inbox alone, and removes it on release', async () => {
    const id = await request(
      'request kari@contoso.com ticket INC-21 jurisdiction EU access calendar for 1h because planning the handover of her meetings',
    );
    await h.click(USERS.megan, 'approve', { requestId: id });
    const active = (await h.custodian.store.getRequest(id))!;
    assert.equal(active.status, 'active', active.grantError);
    assert.equal(active.access, 'Calendar');
    assert.equal(active.folder, 'Kalender', 'the folder as the mailbox names it');
    assert.equal(calendarOf('kari@contoso.com')?.get('adele@contoso.com'), 'Reviewer');
    assert.equal(h.tenant.state.mailbox('kari@contoso.com')!.folders.get('Inbox')?.get('adele@contoso.com'), undefined);
    assert.match(h.personalTexts(USERS.adele).join('\n'), /Read-only access to Kalender on kari@contoso\.com/);
    const confirmed = (await h.custodian.store.listAudit({ requestId: id })).find((event) => event.type === 'grant.confirmed');
    assert.equal(confirmed?.details.folder, 'Kalender');

    await h.say(USERS.adele, `release ${id}`, personal(USERS.adele));
    await h.runScheduler();
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'revoked');
    assert.equal(calendarOf('kari@contoso.com')?.get('adele@contoso.com'), undefined, 'the calendar permission is gone');
  });

  it('removes the calendar grant when it expires', async () => {
    const id = await request(
      'request alex@contoso.com ticket INC-22 jurisdiction EU access cal for 2h because rebooking his customer meetings',
    );
    await h.click(USERS.megan, 'approve', { requestId: id });
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'active');
    assert.equal(calendarOf('alex@contoso.com')?.get('adele@contoso.com'), 'Reviewer');

    h.clock.advance(2 * HOUR);
    await h.runScheduler();
    const done = (await h.custodian.store.getRequest(id))!;
    assert.equal(done.status, 'revoked');
    assert.equal(done.revokeReason, 'expired');
    assert.equal(calendarOf('alex@contoso.com')?.get('adele@contoso.com'), undefined);
  });

  it('finds a standing calendar Reviewer in the sweep, not the active grant, and removes it on "Remove now"', async () => {
    // An active Calendar grant explains its own permission.
    const id = await request('request kari@contoso.com ticket INC-23 jurisdiction EU access calendar for 4h because meeting audit');
    await h.click(USERS.megan, 'approve', { requestId: id });
    // Behind the bot's back: Diego reads Kari's calendar.
    h.tenant.state.seedPermission({
      mailbox: 'kari@contoso.com',
      grantee: 'diego@contoso.com',
      kind: 'Folder',
      folder: 'Calendar',
      role: 'Reviewer',
    });

    await h.say(USERS.megan, 'sweep', personal(USERS.megan));
    await h.custodian.drift.idle();
    const cards = h.connector.cards(SECURITY_CHANNEL).map(cardText);
    assert.ok(
      cards.some(
        (text) => text.startsWith('Standing access: diego@contoso.com holds Reviewer on Kalender') && text.includes('kari@contoso.com'),
      ),
      cards.join('\n---\n'),
    );
    assert.ok(
      !cards.some((text) => text.startsWith('Standing access: adele@contoso.com')),
      "the active grant explains Adele's calendar access",
    );
    assert.ok(
      !cards.some((text) => /Standing access: (Default|Anonymous) /.test(text)),
      'the built-in calendar holders are never findings',
    );

    const finding = (await findingRecords(h.custodian.store).list()).find(
      (record) => record.body.permission.grantee === 'diego@contoso.com',
    )!;
    assert.equal(finding.body.permission.folder, 'Kalender');
    const card = h.connector.cards(SECURITY_CHANNEL).find((c) => cardText(c).startsWith('Standing access: diego@contoso.com'))!;
    assert.deepEqual(cardVerbs(card), ['findingRemove', 'findingAllow']);
    await h.click(USERS.megan, 'findingRemove', { findingId: finding.body.id }, channel(SECURITY_CHANNEL));
    assert.equal(calendarOf('kari@contoso.com')?.get('diego@contoso.com'), undefined, 'Exchange no longer lists it');
    assert.equal(calendarOf('kari@contoso.com')?.get('adele@contoso.com'), 'Reviewer', "the grant's own permission is untouched");
    assert.equal((await h.custodian.store.listAudit({})).filter((event) => event.type === 'drift.removal.confirmed').length, 1);
  });
});
