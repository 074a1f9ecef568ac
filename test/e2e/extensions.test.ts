import assert from 'node:assert/strict';
import { APPROVALS_CHANNEL, HR_CHANNEL, Harness, SECURITY_CHANNEL, USERS, cardText, cardVerbs } from '../support/harness';
import { FIELD_LIMITS } from '../../src/domain/field-limits';
import { channel, personal } from '../support/teams-activities';

const HOUR = 3_600_000;
const MAILBOX = 'alex@contoso.com';
const EU_REQUEST = `request ${MAILBOX} ticket INC-4321 jurisdiction EU access full for 4h because phishing investigation`;

/** More time on an active grant, end to end through the bot: asked for in chat or on the card, decided on the approval card. */
describe('grant extensions, end to end', function () {
  this.timeout(60_000);
  let h: Harness;

  beforeEach(async () => {
    h = await Harness.start();
    await h.registerChannels();
  });
  afterEach(async () => h?.stop());

  async function activeGrant(line = EU_REQUEST): Promise<string> {
    await h.say(USERS.adele, line);
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.megan, 'approve', { requestId: id });
    await h.settle();
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'active');
    return id;
  }

  async function lastReply(): Promise<string> {
    await h.settle();
    return h.personalTexts(USERS.adele).at(-1) ?? '';
  }

  const stored = async (id: string) => (await h.custodian.store.getRequest(id))!;
  const trail = async (id: string) => (await h.custodian.store.listAudit({ requestId: id })).map((event) => event.type);

  it('approved: the expiry moves, the scheduler revokes at the new one, and everyone is told', async () => {
    const id = await activeGrant();
    const planned = (await stored(id)).expiresAt!;
    await h.say(USERS.adele, `extend ${id} for 2h because the mail export is still running`);
    assert.match(await lastReply(), new RegExp(`${id}: more time asked for`));
    assert.ok(
      h.connector.texts(APPROVALS_CHANNEL).some((text) => text.includes(`asks to extend ${id}`) && text.includes('by 2h')),
      'approvers told',
    );

    const approverView = await h.click(USERS.megan, 'refresh', { requestId: id });
    assert.match(cardText(approverView.body.value), /2h more from .* because "the mail export is still running"\. Waiting for: security/);
    assert.match(cardText(approverView.body.value), /Duration\n4h/, 'the original grant is shown with the extension');
    assert.deepEqual(
      cardVerbs(approverView.body.value).filter((verb) => verb.includes('Extension')),
      ['approveExtension', 'rejectExtension'],
    );

    const approved = await h.click(USERS.megan, 'approveExtension', { requestId: id, comment: 'ok, until the export is done' });
    assert.match(cardText(approved.body.value), /Approved by security: Megan Bowen .* the expiry moved to/);
    assert.match(cardText(approved.body.value), /Duration\n4h \+ 2h extended/);
    const moved = await stored(id);
    assert.equal(moved.expiresAt, planned + 2 * HOUR);
    assert.equal(moved.dueAt, planned + 2 * HOUR, 'the scheduler follows the new expiry');
    assert.equal(moved.durationMinutes, 240, 'the original grant stays as approved');
    assert.match(await lastReply(), /extension of .* was approved by Megan Bowen; access now ends at/);
    assert.ok(
      h.connector
        .texts(SECURITY_CHANNEL)
        .concat(h.connector.cards(SECURITY_CHANNEL).map(cardText))
        .some((t) => t.includes(`extension of ${id} was approved`)),
    );
    const events = await trail(id);
    assert.deepEqual(
      events.filter((type) => type.startsWith('extension.')),
      ['extension.requested', 'extension.approved'],
    );

    h.clock.advance(4 * HOUR + 60_000);
    await h.runScheduler();
    assert.equal((await stored(id)).status, 'active', 'not revoked at the old expiry');
    assert.equal(h.tenant.state.revokeCalls(MAILBOX), 0);
    h.clock.advance(2 * HOUR);
    await h.runScheduler();
    await h.settle();
    assert.equal((await stored(id)).status, 'revoked');
    assert.equal(h.tenant.state.revokeCalls(MAILBOX), 1);
  });

  it('rejected: nothing changes and the grant ends as planned', async () => {
    const id = await activeGrant();
    const planned = (await stored(id)).expiresAt!;
    await h.say(USERS.adele, `extend ${id} for 1h because more time`);
    const rejected = await h.click(USERS.megan, 'rejectExtension', { requestId: id, comment: 'open a new request' });
    assert.match(cardText(rejected.body.value), /Rejected by Megan Bowen .* "open a new request"; the grant ended as planned/);
    assert.equal((await stored(id)).expiresAt, planned);
    assert.match(await lastReply(), /extension of .* was rejected by Megan Bowen: open a new request; access ends as planned/);
    const late = await h.click(USERS.johanna, 'approveExtension', { requestId: id });
    assert.match(cardText(late.body.value), /has no extension waiting for a decision/);

    h.clock.advance(4 * HOUR);
    await h.runScheduler();
    await h.settle();
    assert.equal((await stored(id)).status, 'revoked');
    assert.deepEqual(
      (await trail(id)).filter((type) => type.startsWith('extension.') || type === 'refused.approve-extension'),
      ['extension.requested', 'extension.rejected', 'refused.approve-extension'],
    );
  });

  it('the button on the status card asks the same, and the card then shows the extension waiting', async () => {
    const id = await activeGrant();
    const status = await h.click(USERS.adele, 'refresh', { requestId: id }, personal(USERS.adele));
    assert.ok(cardVerbs(status.body.value).includes('extend'), cardText(status.body.value));
    const missing = await h.click(USERS.adele, 'extend', { requestId: id, extendFor: 'soon', extendReason: 'x' });
    assert.match(JSON.stringify(missing.body), /\\"soon\\" is not a duration/);
    const asked = await h.click(USERS.adele, 'extend', { requestId: id, extendFor: '90m', extendReason: 'still exporting' });
    assert.match(cardText(asked.body.value), /1h 30m more from .* Waiting for: security/);
    assert.ok(!cardVerbs(asked.body.value).includes('extend'), 'one extension waits at a time');
    const again = await h.click(USERS.adele, 'extend', { requestId: id, extendFor: '1h', extendReason: 'more' });
    assert.match(cardText(again.body.value), /already has an extension waiting for a decision/);
  });

  it('refused when it would pass the longest total duration, naming the limit', async () => {
    const id = await activeGrant();
    await h.say(USERS.adele, `extend ${id} for 21h because long job`);
    assert.match(await lastReply(), /21h more would make .* last 1d 1h in total; the longest EU allows is 1d \(at most 20h more\)\./);
    await h.say(USERS.adele, `extend ${id} for 20h because long job`);
    await h.click(USERS.megan, 'approveExtension', { requestId: id });
    await h.say(USERS.adele, `extend ${id} for 15m because a bit more`);
    assert.match(await lastReply(), /the longest EU allows is 1d, and it is reached\./);
    assert.equal((await stored(id)).expiresAt, (await stored(id)).grantedAt! + 24 * HOUR);
    assert.ok((await trail(id)).includes('refused.extend'), 'refusals are audited');
  });

  it('refused when the pack does not allow extensions (Norway)', async () => {
    await h.say(USERS.megan, 'use this channel for hr', channel(HR_CHANNEL));
    await h.say(
      USERS.adele,
      `request ${MAILBOX} ticket INC-5555 jurisdiction NO access read for 2h basis operations because urgent customer escalation`,
    );
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.nestor, 'attest', { requestId: id, stepId: 'employee-heard', outcome: 'done' }, channel(HR_CHANNEL));
    await h.click(USERS.megan, 'approve', { requestId: id });
    await h.click(USERS.nestor, 'approve', { requestId: id }, channel(HR_CHANNEL));
    await h.settle();
    assert.equal((await stored(id)).status, 'active');
    await h.say(USERS.adele, `extend ${id} for 1h because more reading`);
    assert.match(await lastReply(), /The NO pack does not allow extensions; submit a new request instead\./);
    assert.equal((await stored(id)).extensions, undefined);
  });

  it('an oversized reason is refused whole, from chat and from the card, naming the limit', async () => {
    const id = await activeGrant();
    await h.say(USERS.adele, `extend ${id} for 1h because ${'r'.repeat(FIELD_LIMITS.reason + 1)}`);
    assert.match(await lastReply(), /reason is 501 characters long; the limit is 500/);
    const click = await h.click(USERS.adele, 'extend', {
      requestId: id,
      extendFor: '1h',
      extendReason: 'r'.repeat(FIELD_LIMITS.reason + 1),
    });
    assert.match(String(click.body.value), /reason is 501 characters long; the limit is 500/);
    const reasonOk = await h.click(USERS.adele, 'extend', {
      requestId: id,
      extendFor: '1h',
      extendReason: 'r'.repeat(FIELD_LIMITS.reason),
    });
    assert.equal(reasonOk.status, 200);
    assert.equal((await stored(id)).extensions?.[0]?.reason.length, FIELD_LIMITS.reason, 'a reason at the limit is taken');
  });

  it('refused after the expiry, and for anyone but the requester', async () => {
    const id = await activeGrant();
    await h.say(USERS.johanna, `extend ${id} for 1h because I want it`);
    await h.settle();
    assert.match(h.personalTexts(USERS.johanna).at(-1) ?? '', /Only the requester can ask to extend/);
    h.clock.advance(4 * HOUR);
    await h.say(USERS.adele, `extend ${id} for 1h because too late`);
    assert.match(await lastReply(), /expired at .*; submit a new request if you still need access\./);
    await h.runScheduler();
    await h.settle();
    await h.say(USERS.adele, `extend ${id} for 1h because too late`);
    assert.match(await lastReply(), /is revoked; only an active grant can be extended\./);
  });

  it('separation of duties: the requester and the mailbox owner cannot decide the extension', async () => {
    const id = await activeGrant();
    await h.say(USERS.adele, `extend ${id} for 1h because need more`);
    const self = await h.click(USERS.adele, 'approveExtension', { requestId: id });
    assert.match(cardText(self.body.value), /Separation of duties: you requested .*, so you cannot decide on the extension of it/);
    const owner = await h.click(USERS.alex, 'approveExtension', { requestId: id });
    assert.match(cardText(owner.body.value), /Separation of duties: .* is about your own mailbox/);
    const outsider = await h.click(USERS.diego, 'rejectExtension', { requestId: id });
    assert.match(cardText(outsider.body.value), /You are not an approver for the extension/);
    const pending = (await stored(id)).extensions?.[0];
    assert.equal(pending?.status, 'pending');
    assert.deepEqual(pending?.approvals, []);
    const refusals = (await h.custodian.store.listAudit({ requestId: id })).filter((event) => event.type.startsWith('refused.'));
    assert.deepEqual(
      refusals.map((event) => event.details.code),
      ['separation-of-duties', 'separation-of-duties', 'not-approver'],
    );
  });

  it('an extension still undecided at the expiry ends with the grant; nothing changes', async () => {
    const id = await activeGrant();
    const planned = (await stored(id)).expiresAt!;
    await h.say(USERS.adele, `extend ${id} for 2h because still need it`);
    h.clock.set(planned);
    await h.runScheduler();
    await h.settle();
    const ended = await stored(id);
    assert.equal(ended.status, 'revoked');
    assert.equal(ended.revokedAt, planned);
    assert.equal(ended.extensions?.[0]?.status, 'lapsed');
    const started = (await h.custodian.store.listAudit({ requestId: id })).find((event) => event.type === 'revoke.started');
    assert.equal(started?.details.reason, 'expired');
    assert.equal(started?.details.extensionLapsed, true, 'the audit trail says the extension ended with the grant');
    const late = await h.click(USERS.megan, 'approveExtension', { requestId: id });
    assert.match(cardText(late.body.value), /has no extension waiting for a decision/);
    assert.match(cardText(late.body.value), /Nobody decided before the grant ended; nothing changed\./);
  });
});
