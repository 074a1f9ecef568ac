import assert from 'node:assert/strict';
import { APPROVALS_CHANNEL, HR_CHANNEL, Harness, USERS, cardText, cardVerbs } from '../support/harness';
import { channel } from '../support/teams-activities';

const HOUR = 3_600_000;
const NO_REQUEST =
  'request alex@contoso.com ticket INC-5555 jurisdiction NO access read folder Inbox for 2h basis operations because urgent customer escalation while on leave';

describe('Norway: the strict workflow with HR and data-protection steps, end to end', function () {
  let h: Harness;

  beforeEach(async () => {
    h = await Harness.start();
    await h.registerChannels();
    await h.say(USERS.megan, 'use this channel for hr', channel(HR_CHANNEL));
  });
  afterEach(async () => h.stop());

  async function submit(line = NO_REQUEST): Promise<string> {
    await h.say(USERS.adele, line);
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))?.[0];
    assert.ok(id, cardText(h.personalCards(USERS.adele).at(-1)));
    return id;
  }

  it('refuses a request without a legal basis, listing the valid ones, and stores nothing', async () => {
    await h.say(USERS.adele, 'request alex@contoso.com ticket INC-5555 jurisdiction NO access read for 2h because x');
    assert.match(cardText(h.personalCards(USERS.adele).at(-1)), /NO requires a legal basis: operations, suspicion/);
    assert.equal((await h.custodian.store.listRequestsByRequester(USERS.adele.aadObjectId, 5)).length, 0);
  });

  it('refuses durations over the pack maximum', async () => {
    await h.say(USERS.adele, NO_REQUEST.replace('for 2h', 'for 12h'));
    assert.match(cardText(h.personalCards(USERS.adele).at(-1)), /12h is longer than the maximum for NO \(8h\)/);
  });

  it('notifies HR, the DPO and the employee at submission, and records each step', async () => {
    const id = await submit();
    const request = (await h.custodian.store.getRequest(id))!;
    const status = Object.fromEntries(request.steps.map((step) => [step.id, step.status]));
    assert.deepEqual(status, {
      'notify-hr': 'done',
      'notify-dpo': 'done',
      'notify-employee': 'done',
      'employee-heard': 'pending',
      'after-access-notice': 'pending',
    });
    const mails = h.tenant.state.sentMails;
    assert.ok(
      mails.some((mail) => mail.to.includes('nestor@contoso.com') && mail.subject.includes(id)),
      'HR e-mail',
    );
    assert.ok(
      mails.some((mail) => mail.to.includes('lynne@contoso.com') && mail.subject.includes(id)),
      'DPO e-mail',
    );
    const employee = mails.find((mail) => mail.to.includes('alex@contoso.com'));
    assert.ok(employee, 'employee advance notice');
    assert.match(employee.body, /present during the access together with a representative/);
    assert.ok(
      h.connector.texts(HR_CHANNEL).some((text) => text.includes(id)),
      'HR Teams conversation told',
    );
    const audit = (await h.custodian.store.listAudit({ requestId: id })).map(
      (event) => `${event.type}:${typeof event.details.step === 'string' ? event.details.step : ''}`,
    );
    assert.deepEqual(
      audit.filter((entry) => entry.startsWith('step.')),
      ['step.done:notify-hr', 'step.done:notify-dpo', 'step.done:notify-employee'],
    );
    assert.ok(
      h.connector.cards(HR_CHANNEL).some((card) => cardText(card).includes(id)),
      'the approval card also goes to HR',
    );
  });

  it('records approvals made before the attestation, grants on the attestation, needs both roles from distinct people, and sends the after-access notice', async () => {
    const id = await submit();
    const wrongRole = await h.click(USERS.megan, 'attest', { requestId: id, stepId: 'employee-heard', outcome: 'done' });
    assert.match(cardText(wrongRole.body.value), /Only the hr role can record/);

    const first = await h.click(USERS.megan, 'approve', { requestId: id, comment: 'security ok' });
    assert.match(cardText(first.body.value), /✔ security: Megan Bowen/);
    assert.match(cardText(first.body.value), /… hr: waiting \(anyone with the hr role\)/);
    assert.match(
      cardText(first.body.value),
      /The grant starts once these are recorded too: The employee was given the opportunity[^\n]*\(recorded by the hr role\)/,
    );
    const again = await h.click(USERS.megan, 'approve', { requestId: id });
    assert.match(cardText(again.body.value), /You already approved/);
    const secondSecurity = await h.click(USERS.johanna, 'approve', { requestId: id });
    assert.match(cardText(secondSecurity.body.value), /The approvals your role can give are complete; .* still needs: hr/);

    const second = await h.click(USERS.nestor, 'approve', { requestId: id }, channel(HR_CHANNEL));
    assert.match(cardText(second.body.value), /Waiting for approval/);
    assert.match(cardText(second.body.value), /The grant starts once these are recorded too: The employee was given the opportunity/);
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'pending', 'every approval is in, the attestation is not');
    assert.equal(h.tenant.state.grantCalls('alex@contoso.com'), 0, 'approvals alone are not enough');

    const attest = await h.click(USERS.nestor, 'attest', { requestId: id, stepId: 'employee-heard', outcome: 'done' }, channel(HR_CHANNEL));
    assert.match(cardText(attest.body.value), /☑ The employee was given the opportunity[^\n]*Nestor Wilke/);
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'active', 'the last missing piece starts the grant');
    assert.equal(h.tenant.state.grantCalls('alex@contoso.com'), 1);
    assert.deepEqual(
      h.tenant.state.permissionsOf('alex@contoso.com').filter((p) => p.grantee === 'adele@contoso.com'),
      [{ grantee: 'adele@contoso.com', kind: 'Folder', folder: 'Inbox', role: 'Reviewer' }],
    );
    const trail = (await h.custodian.store.listAudit({ requestId: id })).map((event) => event.type);
    assert.deepEqual(
      trail.filter((type) => /^(request\.approv|step\.attested|grant\.confirmed)/.test(type)),
      ['request.approval-recorded', 'request.approval-recorded', 'step.attested', 'grant.confirmed'],
    );
    const stored = (await h.custodian.store.getRequest(id))!;
    assert.deepEqual(
      stored.approvals.map((approval) => [approval.role, approval.approver.aadObjectId]),
      [
        ['security', USERS.megan.aadObjectId],
        ['hr', USERS.nestor.aadObjectId],
      ],
    );

    h.clock.advance(2 * HOUR);
    await h.runScheduler();
    const done = (await h.custodian.store.getRequest(id))!;
    assert.equal(done.status, 'revoked');
    assert.equal(done.steps.find((step) => step.id === 'after-access-notice')?.status, 'done');
    const after = h.tenant.state.sentMails.filter((mail) => mail.to.includes('alex@contoso.com')).at(-1)!;
    assert.match(after.subject, /Your work mailbox was accessed/);
    assert.match(after.body, /Read-only access to Inbox/);
    assert.match(after.body, /INC-5555/);
    assert.match(after.body, /Necessary to maintain daily operations/);
  });

  it('advance notice withheld with a reason: the step shows not done and the after-access notice explains why', async () => {
    const id = await submit(NO_REQUEST.replace(' because ', ' withheld the employee is suspected of exfiltrating data because '));
    const request = (await h.custodian.store.getRequest(id))!;
    assert.equal(request.steps.find((step) => step.id === 'notify-employee')?.status, 'waived');
    assert.equal(request.flags.advanceNoticeWithheld, true);
    assert.ok(!h.tenant.state.sentMails.some((mail) => mail.to.includes('alex@contoso.com')), 'the employee is not told in advance');
    assert.match(cardText(h.connector.cards(APPROVALS_CHANNEL).at(-1)), /not told in advance/);
    await h.click(USERS.nestor, 'attest', { requestId: id, stepId: 'employee-heard', outcome: 'not-possible' }, channel(HR_CHANNEL));
    const missingNote = (await h.custodian.store.getRequest(id))!.steps.find((step) => step.id === 'employee-heard');
    assert.equal(missingNote?.status, 'pending', 'not-possible without a note is refused');
    await h.click(
      USERS.nestor,
      'attest',
      { requestId: id, stepId: 'employee-heard', outcome: 'not-possible', attestNote: 'would alert the suspect' },
      channel(HR_CHANNEL),
    );
    await h.click(USERS.megan, 'approve', { requestId: id });
    await h.click(USERS.nestor, 'approve', { requestId: id }, channel(HR_CHANNEL));
    h.clock.advance(2 * HOUR);
    await h.runScheduler();
    const notice = h.tenant.state.sentMails.filter((mail) => mail.to.includes('alex@contoso.com')).at(-1)!;
    assert.match(notice.body, /not told in advance because: the employee is suspected of exfiltrating data/);
  });

  it('pending requests get one reminder before the TTL and then expire; requester and approvers are told', async () => {
    const id = await submit();
    h.clock.advance(19 * HOUR);
    await h.runScheduler();
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'pending');
    h.clock.advance(1 * HOUR);
    await h.runScheduler();
    await h.runScheduler();
    const reminders = h.connector.texts(APPROVALS_CHANNEL).filter((text) => text.startsWith(`Reminder: ${id}`));
    assert.equal(reminders.length, 1, 'exactly one reminder');
    h.clock.advance(4 * HOUR);
    await h.runScheduler();
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'expired');
    assert.ok(h.personalTexts(USERS.adele).some((text) => text.includes(`${id} expired without a decision`)));
    assert.ok(h.connector.texts(APPROVALS_CHANNEL).some((text) => text.includes(`${id} expired without a decision`)));
    const late = await h.click(USERS.megan, 'approve', { requestId: id });
    assert.match(cardText(late.body.value), /is expired; it can no longer be approved/);
  });

  it('role-specific views: the HR approver sees attest and approve, the requester only status and cancel', async () => {
    const id = await submit();
    const hrView = await h.click(USERS.nestor, 'refresh', { requestId: id }, channel(HR_CHANNEL));
    assert.deepEqual(cardVerbs(hrView.body.value).sort(), ['approve', 'attest', 'attest', 'reject']);
    const requesterView = await h.click(USERS.adele, 'refresh', { requestId: id });
    assert.deepEqual(cardVerbs(requesterView.body.value), ['cancel']);
    const outsider = await h.click(USERS.diego, 'refresh', { requestId: id });
    assert.equal(outsider.body.type, 'application/vnd.microsoft.activity.message');
  });
});
