import assert from 'node:assert/strict';
import { APPROVALS_CHANNEL, Harness, SECURITY_CHANNEL, USERS, cardText } from '../support/harness';
import { personal } from '../support/teams-activities';

describe('pre-checks from Exchange and the directory: standing access, mailbox auditing, conflict of interest', function () {
  let h: Harness;

  beforeEach(async () => {
    h = await Harness.start();
    await h.registerChannels();
  });
  afterEach(async () => h.stop());

  it('refuses a requester who already holds standing access, and tells the security channel', async () => {
    await h.say(
      USERS.johanna,
      'request isaiah@contoso.com ticket INC-9 jurisdiction GLOBAL access read for 1h because check',
      personal(USERS.johanna),
    );
    assert.match(cardText(h.personalCards(USERS.johanna).at(-1)), /already hold standing access to isaiah@contoso.com \(FullAccess\)/);
    assert.equal((await h.custodian.store.listRequestsByRequester(USERS.johanna.aadObjectId, 5)).length, 0);
    assert.ok(
      h.connector
        .cards(SECURITY_CHANNEL)
        .map(cardText)
        .some((card) => card.includes('Standing access found') && card.includes('johanna@contoso.com')),
    );
    const audit = (await h.custodian.store.listAudit({ mailbox: 'isaiah@contoso.com' })).map((event) => event.type);
    assert.deepEqual(audit, ['request.refused.standing-access']);
  });

  const ask = (ticket: string) => `request alex@contoso.com ticket ${ticket} jurisdiction EU access full for 1h because check`;
  const lastCard = () => cardText(h.personalCards(USERS.adele).at(-1));

  it('refuses a second request for a mailbox while the first is pending, naming it; its number stays unused, and the audit says so', async () => {
    await h.say(USERS.adele, ask('INC-1'));
    const first = /CUS-\d{4}-\d{4}/.exec(lastCard())![0];
    await h.say(USERS.adele, ask('INC-2'));
    assert.match(lastCard(), new RegExp(`already have a pending request for alex@contoso.com \\(${first}\\); cancel it first`));
    assert.deepEqual(
      (await h.custodian.store.listRequestsByRequester(USERS.adele.aadObjectId, 5)).map((request) => request.id),
      [first],
    );
    const refusal = (await h.custodian.store.listAudit({ mailbox: 'alex@contoso.com' })).find((event) => event.type === 'request.refused');
    assert.equal(refusal?.ticket, 'INC-2');
    assert.match(String(refusal?.details?.unusedRequestId), /^CUS-\d{4}-\d{4}$/);
    assert.notEqual(refusal?.details?.unusedRequestId, first);
  });

  it('access held through Custodian is not standing access: the refusal names the grant and the security channel is not alarmed', async () => {
    await h.say(USERS.adele, ask('INC-1'));
    const first = /CUS-\d{4}-\d{4}/.exec(lastCard())![0];
    await h.click(USERS.megan, 'approve', { requestId: first });
    assert.equal((await h.custodian.store.getRequest(first))?.status, 'active');
    await h.say(USERS.adele, ask('INC-2'));
    assert.match(lastCard(), new RegExp(`already have access to alex@contoso.com through ${first} \\(active\\); release it first`));
    assert.ok(
      !h.connector
        .cards(SECURITY_CHANNEL)
        .map(cardText)
        .some((card) => card.includes('Standing access found')),
    );
  });

  it('two requests for one mailbox sent at once: one is stored, the other is refused naming it', async () => {
    await Promise.all([h.say(USERS.adele, ask('INC-1')), h.say(USERS.adele, ask('INC-2'))]);
    const stored = await h.custodian.store.listRequestsByRequester(USERS.adele.aadObjectId, 5);
    assert.equal(stored.length, 1);
    const cards = h.personalCards(USERS.adele).map(cardText);
    assert.ok(
      cards.some((card) => card.includes(`already have a pending request for alex@contoso.com (${stored[0].id})`)),
      cards.join('\n---\n'),
    );
  });

  it('mailbox auditing disabled: refused where the pack requires auditing, flagged where it only warns', async () => {
    await h.say(USERS.adele, 'request isaiah@contoso.com ticket INC-9 jurisdiction EU access read for 1h because check');
    assert.match(cardText(h.personalCards(USERS.adele).at(-1)), /Mailbox auditing is disabled on isaiah@contoso.com; EU requires it/);
    await h.say(USERS.adele, 'request isaiah@contoso.com ticket INC-9 jurisdiction GLOBAL access read for 1h because check');
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    assert.equal((await h.custodian.store.getRequest(id))?.flags.mailboxAuditDisabled, true);
    assert.match(cardText(h.connector.cards(APPROVALS_CHANNEL).at(-1)), /Mailbox auditing is disabled on this mailbox/);
  });

  it('conflict of interest (the mailbox owner reports to the requester) is shown and needs an extra approval', async () => {
    await h.say(USERS.adele, 'request diego@contoso.com ticket INC-10 jurisdiction EU access full for 1h because performance case');
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    const request = (await h.custodian.store.getRequest(id))!;
    assert.match(request.flags.conflictOfInterest ?? '', /direct report of the requester/);
    assert.deepEqual(request.requiredApprovals, [{ role: 'security', count: 2 }]);
    assert.match(cardText(h.connector.cards(APPROVALS_CHANNEL).at(-1)), /Conflict of interest/);
    await h.click(USERS.megan, 'approve', { requestId: id });
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'pending');
    await h.click(USERS.johanna, 'approve', { requestId: id });
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'active');
  });
});
