import assert from 'node:assert/strict';
import { Harness, SECURITY_CHANNEL, USERS, cardText } from '../support/harness';
import { personal } from '../support/teams-activities';

describe('security team: audit history, revoke-all, daily summary, e-mail copies', function () {
  let h: Harness;

  beforeEach(async () => {
    h = await Harness.start({ env: { CUSTODIAN_SECURITY_EMAIL: 'soc@contoso.com' } });
    await h.registerChannels();
  });
  afterEach(async () => h.stop());

  async function grant(mailbox: string): Promise<string> {
    await h.say(USERS.adele, `request ${mailbox} ticket INC-42 jurisdiction EU access full for 4h because incident response`);
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.megan, 'approve', { requestId: id });
    return id;
  }

  it('"audit" shows the trail of a request, a mailbox or a ticket to the security role only', async () => {
    const id = await grant('alex@contoso.com');
    await h.say(USERS.johanna, `audit ${id}`, personal(USERS.johanna));
    const card = cardText(h.personalCards(USERS.johanna).at(-1));
    for (const type of ['request.submitted', 'step.done', 'request.approved', 'grant.attempted', 'grant.confirmed'])
      assert.ok(card.includes(type), `${type} missing:\n${card}`);
    await h.say(USERS.johanna, 'audit alex@contoso.com', personal(USERS.johanna));
    assert.match(cardText(h.personalCards(USERS.johanna).at(-1)), /grant\.confirmed/);
    await h.say(USERS.johanna, 'audit INC-42', personal(USERS.johanna));
    assert.match(cardText(h.personalCards(USERS.johanna).at(-1)), /request\.submitted/);
    await h.say(USERS.adele, `audit ${id}`);
    assert.ok(h.personalTexts(USERS.adele).some((text) => text.includes('Only members of the security role')));
    const refused = (await h.custodian.store.listAudit({})).filter((event) => event.type === 'refused.audit-query');
    assert.equal(refused.length, 1);
  });

  it('"revoke-all" asks for confirmation, then ends every active grant; others are refused', async () => {
    const first = await grant('alex@contoso.com');
    const second = await grant('johanna@contoso.com');
    await h.say(USERS.adele, 'revoke-all confirm');
    assert.ok(h.personalTexts(USERS.adele).some((text) => text.includes('Only members of the security role')));
    await h.say(USERS.megan, 'revoke-all', personal(USERS.megan));
    assert.ok(h.personalTexts(USERS.megan).some((text) => text.includes('2 grant(s) are active')));
    assert.equal((await h.custodian.store.getRequest(first))?.status, 'active');
    await h.say(USERS.megan, 'revoke-all confirm', personal(USERS.megan));
    assert.ok(h.personalTexts(USERS.megan).some((text) => text.includes('Ended 2 grant(s)')));
    for (const id of [first, second]) {
      const request = (await h.custodian.store.getRequest(id))!;
      assert.equal(request.status, 'revoked');
      assert.equal(request.revokeReason, 'manual');
    }
    assert.deepEqual(
      h.tenant.state.permissionsOf('johanna@contoso.com').filter((p) => p.grantee === 'adele@contoso.com'),
      [],
    );
  });

  it('posts one daily summary per day across restarts, and e-mails a copy of security notices', async () => {
    await grant('alex@contoso.com');
    h.clock.set(Date.UTC(2026, 10, 28, 7, 0, 5));
    await h.runScheduler();
    await h.runScheduler();
    const summaries = () =>
      h.connector
        .cards(SECURITY_CHANNEL)
        .map(cardText)
        .filter((card) => card.includes('Daily summary for the 24 hours to 2026-11-28T07:00:00.000Z'));
    assert.equal(summaries().length, 1, 'one summary for the firing, however many rounds');
    assert.match(summaries()[0], /Grants confirmed: 1/);
    await h.restart();
    await h.runScheduler();
    assert.equal(summaries().length, 0, 'a restarted instance does not post the same firing again');
    const copies = h.tenant.state.sentMails.filter((mail) => mail.to.includes('soc@contoso.com'));
    assert.ok(
      copies.some((mail) => mail.subject.includes('granted')),
      copies.map((mail) => mail.subject).join('\n'),
    );
    assert.ok(copies.some((mail) => mail.subject.includes('summary')));
  });
});
