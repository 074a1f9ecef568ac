import assert from 'node:assert/strict';
import { APPROVALS_CHANNEL, Harness, SECURITY_CHANNEL, USERS, cardText, cardVerbs } from '../support/harness';
import { channel, personal } from '../support/teams-activities';

const HOUR = 3_600_000;
const REQUEST_LINE = 'request alex@contoso.com ticket INC-1234 jurisdiction EU access full for 4h because phishing investigation INC-1234';

describe('core loop through the real server (register → request → approve → grant → expiry → revoke)', function () {
  let h: Harness;

  beforeEach(async () => {
    h = await Harness.start();
    await h.registerChannels();
  });
  afterEach(async () => h.stop());

  async function submit(line = REQUEST_LINE): Promise<string> {
    await h.say(USERS.adele, line);
    const card = h.personalCards(USERS.adele).at(-1);
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(card))?.[0];
    assert.ok(id, `expected a request ID on the status card, got:\n${cardText(card)}`);
    return id;
  }

  it('registers the approval and security channels by writing in them', async () => {
    const approvals = h.connector.texts(APPROVALS_CHANNEL).join('\n');
    assert.match(approvals, /approval cards/);
    assert.ok(await h.custodian.store.getConversation('approvals'));
    assert.ok(await h.custodian.store.getConversation('security'));
  });

  it('walks the whole loop and leaves no permission behind', async () => {
    const id = await submit();
    assert.match(id, /^CUS-2026-0001$/);

    const approvalCard = h.connector.cards(APPROVALS_CHANNEL).at(-1);
    const text = cardText(approvalCard);
    for (const expected of [
      'Adele Vance',
      'alex@contoso.com',
      'INC-1234',
      'European Union',
      'FullAccess',
      '4h',
      'phishing investigation',
      'audit',
    ])
      assert.ok(text.includes(expected), `approval card lacks "${expected}"`);
    assert.deepEqual(cardVerbs(approvalCard).sort(), ['approve', 'reject']);

    const { status, body } = await h.click(USERS.megan, 'approve', { requestId: id, comment: 'ok for the investigation' });
    assert.equal(status, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(
      cardText(body.value),
      /Granting…[\s\S]*Exchange is granting the access now/,
      'the click is answered before Exchange is asked',
    );

    assert.deepEqual(
      h.tenant.state.permissionsOf('alex@contoso.com').filter((p) => p.grantee.startsWith('adele')),
      [{ grantee: 'adele@contoso.com', kind: 'FullAccess' }],
    );
    const stored = await h.custodian.store.getRequest(id);
    assert.equal(stored?.status, 'active');
    assert.equal(stored?.expiresAt, h.clock.now() + 4 * HOUR);

    const security = h.connector.cards(SECURITY_CHANNEL).map(cardText);
    assert.ok(
      security.some((card) => card.includes('Access granted') && card.includes(id) && card.includes('Megan Bowen')),
      'security channel was not told of the grant',
    );
    assert.ok(
      h.personalTexts(USERS.adele).some((line) => line.includes('Access granted')),
      'requester was not told of the grant',
    );

    const posted = stored.cards.find((card) => card.conversationKey === 'approvals')!;
    const updated = h.connector.latest(APPROVALS_CHANNEL, posted.activityId);
    assert.match(cardText(updated), /Access active/);
    assert.match(cardText(updated), /Megan Bowen/);
    assert.deepEqual(cardVerbs(updated), [], 'the updated approval card must not offer buttons any more');

    h.clock.advance(4 * HOUR - 1000);
    assert.equal(await h.runScheduler(), 0, 'nothing is due before expiry');
    h.clock.advance(1000);
    await h.runScheduler();

    assert.deepEqual(
      h.tenant.state.permissionsOf('alex@contoso.com').filter((p) => p.grantee.startsWith('adele')),
      [],
    );
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'revoked');
    assert.ok(
      h.connector
        .cards(SECURITY_CHANNEL)
        .map(cardText)
        .some((card) => card.includes('Access revoked') && card.includes(id)),
    );
    assert.ok(h.personalTexts(USERS.adele).some((line) => line.includes('Access ended') && line.includes('expired')));
    assert.match(cardText(h.connector.latest(APPROVALS_CHANNEL, posted.activityId)), /Revoked/);

    // The audit trail alone tells the story, each event once and in order.
    const trail = (await h.custodian.store.listAudit({ requestId: id })).map((event) => event.type);
    assert.deepEqual(trail, [
      'request.submitted',
      'step.done',
      'request.approved',
      'grant.attempted',
      'grant.confirmed',
      'notice.security',
      'revoke.started',
      'revoke.attempted',
      'revoke.confirmed',
      'notice.security',
      'activity.reported',
      'notice.security',
    ]);
    const seqs = (await h.custodian.store.listAudit({})).map((event) => event.seq);
    assert.deepEqual(
      seqs,
      seqs.map((_, index) => index + 1),
      'one unbroken chain',
    );
  });

  it('refuses self-approval and non-approvers, audits and reports them, and changes nothing', async () => {
    const id = await submit();
    const self = await h.click(USERS.adele, 'approve', { requestId: id });
    assert.match(cardText(self.body.value), /Separation of duties: you requested CUS-\d{4}-\d{4}, so you cannot approve it/);
    const owner = await h.click(USERS.alex, 'approve', { requestId: id });
    assert.match(cardText(owner.body.value), /Separation of duties: CUS-\d{4}-\d{4} is about your own mailbox/);
    const outsider = await h.click(USERS.lynne, 'approve', { requestId: id });
    assert.match(cardText(outsider.body.value), /not an approver/);
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'pending');
    assert.equal(h.tenant.state.grantCalls('alex@contoso.com'), 0);
    const refusals = (await h.custodian.store.listAudit({ requestId: id })).filter((event) => event.type === 'refused.approve');
    assert.deepEqual(
      refusals.map((event) => [event.actor.aadObjectId, event.details.code, event.details.part]),
      [
        [USERS.adele.aadObjectId, 'separation-of-duties', 'requester'],
        [USERS.alex.aadObjectId, 'separation-of-duties', 'mailbox-owner'],
        [USERS.lynne.aadObjectId, 'not-approver', undefined],
      ],
    );
    const refusedCards = h.connector
      .cards(SECURITY_CHANNEL)
      .map(cardText)
      .filter((card) => card.includes('Refused action'));
    assert.equal(refusedCards.length, 3);
  });

  it('a second approval click changes nothing and says why; two approvers at once grant exactly once', async () => {
    const id = await submit();
    const [first, second] = await Promise.all([
      h.click(USERS.megan, 'approve', { requestId: id }),
      h.click(USERS.johanna, 'approve', { requestId: id }),
    ]);
    const texts = [cardText(first.body.value), cardText(second.body.value)];
    assert.equal(texts.filter((text) => /can no longer be approved/.test(text)).length, 1, texts.join('\n---\n'));
    assert.equal(h.tenant.state.grantCalls('alex@contoso.com'), 1);
    const again = await h.click(USERS.megan, 'approve', { requestId: id });
    assert.match(cardText(again.body.value), /is active; it can no longer be approved/);
    assert.equal(h.tenant.state.grantCalls('alex@contoso.com'), 1);
    const approvals = (await h.custodian.store.getRequest(id))!.approvals;
    assert.equal(approvals.length, 1);
  });

  it('reject ends the request with the comment and nothing is granted', async () => {
    const id = await submit();
    const { body } = await h.click(USERS.megan, 'reject', { requestId: id, comment: 'use the shared mailbox instead' });
    assert.match(cardText(body.value), /Rejected by Megan Bowen/);
    assert.match(cardText(body.value), /use the shared mailbox instead/);
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'rejected');
    assert.equal(h.tenant.state.grantCalls('alex@contoso.com'), 0);
    assert.ok(h.personalTexts(USERS.adele).some((line) => line.includes('rejected') && line.includes('use the shared mailbox instead')));
    const late = await h.click(USERS.johanna, 'approve', { requestId: id });
    assert.match(cardText(late.body.value), /is rejected; it can no longer be approved/);
  });

  it('cancel (requester only, while pending) and the approval card follows', async () => {
    const id = await submit();
    await h.say(USERS.megan, `cancel ${id}`, personal(USERS.megan));
    assert.ok(h.personalTexts(USERS.megan).some((line) => line.includes('Only the requester can cancel')));
    await h.say(USERS.adele, `cancel ${id}`);
    assert.ok(h.personalTexts(USERS.adele).some((line) => line.includes(`${id} is cancelled`)));
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'cancelled');
    const posted = (await h.custodian.store.getRequest(id))!.cards.find((card) => card.view === 'approval')!;
    assert.match(cardText(h.connector.latest(APPROVALS_CHANNEL, posted.activityId)), /Cancelled/);
    await h.say(USERS.adele, `cancel ${id}`);
    assert.ok(h.personalTexts(USERS.adele).some((line) => line.includes('only pending requests can be cancelled')));
  });

  it('release ends an active grant early and the scheduler has nothing left to do', async () => {
    const id = await submit();
    await h.click(USERS.megan, 'approve', { requestId: id });
    h.clock.advance(HOUR);
    await h.say(USERS.adele, `release ${id}`);
    assert.ok(h.personalTexts(USERS.adele).some((line) => line.includes('Access ended') && line.includes('you released it')));
    const stored = await h.custodian.store.getRequest(id);
    assert.equal(stored?.status, 'revoked');
    assert.equal(stored?.revokeReason, 'released');
    assert.deepEqual(
      h.tenant.state.permissionsOf('alex@contoso.com').filter((p) => p.grantee.startsWith('adele')),
      [],
    );
    h.clock.advance(4 * HOUR);
    await h.runScheduler();
    assert.equal(h.tenant.state.revokeCalls('alex@contoso.com'), 1);
  });

  it('status, mine and help answer in chat', async () => {
    const id = await submit();
    await h.say(USERS.adele, 'help');
    assert.ok(h.personalTexts(USERS.adele).some((line) => line.includes('request') && line.includes('release')));
    await h.say(USERS.adele, `status ${id}`);
    assert.match(cardText(h.personalCards(USERS.adele).at(-1)), /Waiting for approval/);
    await h.say(USERS.adele, 'status');
    assert.match(cardText(h.personalCards(USERS.adele).at(-1)), new RegExp(id));
    await h.say(USERS.adele, 'mine');
    assert.match(cardText(h.personalCards(USERS.adele).at(-1)), new RegExp(`${id}[\\s\\S]*Waiting for approval`));
    await h.say(USERS.alex, `status ${id}`, personal(USERS.alex));
    assert.ok(h.personalTexts(USERS.alex).some((line) => line.includes('You may not see')));
  });

  it('the request form: an empty "request" gets the form; submitting it with errors names each bad field and stores nothing', async () => {
    await h.say(USERS.adele, 'request');
    assert.deepEqual(cardVerbs(h.personalCards(USERS.adele).at(-1)), ['submitRequest']);
    const place = personal(USERS.adele);
    const { body } = await h.click(
      USERS.adele,
      'submitRequest',
      { mailbox: 'nobody@contoso.com', ticket: 'nope', jurisdiction: 'XX', access: 'FullAccess', duration: '9d', justification: ' ' },
      place,
    );
    const text = cardText(body.value);
    assert.match(text, /No user nobody@contoso.com exists/);
    assert.match(text, /Unknown jurisdiction "XX". Valid codes: EU, GLOBAL, NO/);
    assert.match(text, /Explain why you need this access/);
    assert.equal((await h.custodian.store.listRequestsByRequester(USERS.adele.aadObjectId, 10)).length, 0);

    const ticket = await h.click(
      USERS.adele,
      'submitRequest',
      { mailbox: 'alex@contoso.com', ticket: 'nope', jurisdiction: 'EU', access: 'FullAccess', duration: '9d', justification: 'x' },
      place,
    );
    assert.match(cardText(ticket.body.value), /"nope" does not match the ticket format for EU/);
    assert.match(cardText(ticket.body.value), /9d is longer than the maximum for EU \(1d\)/);

    const ok = await h.click(
      USERS.adele,
      'submitRequest',
      {
        mailbox: 'alex@contoso.com',
        ticket: 'INC-77',
        jurisdiction: 'EU',
        access: 'ReadFolder',
        folder: 'Inbox',
        duration: '30m',
        justification: 'check a lost invoice',
      },
      place,
      'form-activity-1',
    );
    assert.match(cardText(ok.body.value), /CUS-2026-0001/);
    const stored = (await h.custodian.store.listRequestsByRequester(USERS.adele.aadObjectId, 10))[0];
    assert.equal(stored.access, 'ReadFolder');
    assert.ok(
      stored.cards.some((card) => card.view === 'status' && card.activityId === 'form-activity-1'),
      'the form message becomes the status card',
    );
  });

  it('revokes at start-up what expired while the bot was down', async () => {
    const id = await submit();
    await h.click(USERS.megan, 'approve', { requestId: id });
    h.clock.advance(5 * HOUR);
    await h.restart();
    await h.runScheduler();
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'revoked');
    assert.deepEqual(
      h.tenant.state.permissionsOf('alex@contoso.com').filter((p) => p.grantee.startsWith('adele')),
      [],
    );
  });

  it('a failing revocation is retried with backoff, raised for manual action, and only marked done when Exchange confirms', async () => {
    const id = await submit();
    await h.click(USERS.megan, 'approve', { requestId: id });
    h.tenant.faults.fail({ route: 'exchange:Remove-MailboxPermission', status: 400, times: Infinity });
    h.clock.advance(4 * HOUR);
    await h.runScheduler();
    let stored = (await h.custodian.store.getRequest(id))!;
    assert.equal(stored.status, 'revoking');
    assert.equal(stored.revokeAttempts, 1);
    assert.ok(stored.dueAt! > h.clock.now(), 'next attempt is scheduled later');
    for (let i = 0; i < 2; i++) {
      h.clock.set(stored.dueAt!);
      await h.runScheduler();
      stored = (await h.custodian.store.getRequest(id))!;
    }
    assert.equal(stored.status, 'revoking');
    assert.equal(stored.revokeAttempts, 3);
    assert.ok(
      h.connector
        .cards(SECURITY_CHANNEL)
        .map(cardText)
        .some((card) => card.includes('manual action needed') || card.includes('MANUAL ACTION')),
    );
    assert.equal(
      h.tenant.state.permissionsOf('alex@contoso.com').some((p) => p.grantee.startsWith('adele')),
      true,
      'the permission is still there, and the bot says so',
    );
    h.tenant.faults.reset();
    h.clock.set(stored.dueAt!);
    await h.runScheduler();
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'revoked');
    assert.deepEqual(
      h.tenant.state.permissionsOf('alex@contoso.com').filter((p) => p.grantee.startsWith('adele')),
      [],
    );
  });

  it('answers liveness and readiness probes (store, scheduler) for the load balancer', async () => {
    const live = await fetch(`${h.custodian.url}/healthz`);
    assert.equal(live.status, 200);
    const ready = await fetch(`${h.custodian.url}/readyz`);
    const report = (await ready.json()) as { status: string; checks: { name: string; ok: boolean }[] };
    assert.equal(ready.status, 200);
    assert.deepEqual(
      report.checks.map((check) => [check.name, check.ok]),
      [
        ['store', true],
        ['scheduler', true],
      ],
    );
    await h.custodian.store.close();
    const down = await fetch(`${h.custodian.url}/readyz`);
    assert.equal(down.status, 503);
    const failed = (await down.json()) as { checks: { name: string; ok: boolean }[] };
    assert.deepEqual(failed.checks.find((check) => check.name === 'store')?.ok, false);
  });

  it('only an admin can register conversations; the refusal is audited', async () => {
    await h.say(USERS.adele, 'use this channel for approvals', channel('19:rogue@thread.tacv2'));
    assert.ok(h.connector.texts('19:rogue@thread.tacv2').some((line) => line.includes('Only members of the admin role')));
    const record = await h.custodian.store.getConversation('approvals');
    assert.equal((record?.reference as any).conversation.id, APPROVALS_CHANNEL);
    const refusals = (await h.custodian.store.listAudit({})).filter((event) => event.type === 'refused.register-conversation');
    assert.equal(refusals.length, 1);
  });
});
