import assert from 'node:assert/strict';
import { Harness, SECURITY_CHANNEL, USERS, cardText } from '../support/harness';

const HOUR = 3_600_000;

describe('after-access activity report from the Purview audit search', function () {
  let h: Harness;

  beforeEach(async () => {
    h = await Harness.start();
    await h.registerChannels();
  });
  afterEach(async () => h.stop());

  async function grantAndExpire(line: string): Promise<string> {
    await h.say(USERS.adele, line);
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.megan, 'approve', { requestId: id });
    return id;
  }

  const at = (offsetMs: number) => new Date(Date.UTC(2026, 10, 27, 9, 0, 0) + offsetMs).toISOString();

  it('summarises what the grantee did in the window and puts it in the security notice and the after-access e-mail', async () => {
    await h.say(
      USERS.adele,
      'request alex@contoso.com ticket INC-5555 jurisdiction NO access full for 2h basis suspicion withheld would alert the employee because suspected data exfiltration',
    );
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.nestor, 'attest', {
      requestId: id,
      stepId: 'employee-heard',
      outcome: 'not-possible',
      attestNote: 'would alert the employee',
    });
    await h.click(USERS.megan, 'approve', { requestId: id });
    await h.click(USERS.nestor, 'approve', { requestId: id });
    const grantedAt = (await h.custodian.store.getRequest(id))!.grantedAt!;
    for (const [offset, operation] of [
      [10, 'MailItemsAccessed'],
      [20, 'MailItemsAccessed'],
      [30, 'Send'],
      [40, 'MoveToDeletedItems'],
    ] as const)
      h.tenant.state.addAuditRecord({
        createdDateTime: new Date(grantedAt + offset * 60_000).toISOString(),
        operation,
        userPrincipalName: 'adele@contoso.com',
        mailboxOwnerUPN: 'alex@contoso.com',
        auditLogRecordType: 'exchangeItem',
      });
    h.tenant.state.addAuditRecord({
      createdDateTime: at(-HOUR),
      operation: 'MailItemsAccessed',
      userPrincipalName: 'adele@contoso.com',
      mailboxOwnerUPN: 'alex@contoso.com',
      auditLogRecordType: 'exchangeItem',
    });
    h.clock.advance(2 * HOUR);
    await h.runScheduler();
    const done = (await h.custodian.store.getRequest(id))!;
    assert.equal(done.activity?.status, 'done');
    assert.equal(done.activity?.recordCount, 4, 'only records inside the access window count');
    assert.deepEqual(done.activity?.operations?.[0], { operation: 'MailItemsAccessed', count: 2 });
    const notice = h.connector
      .cards(SECURITY_CHANNEL)
      .map(cardText)
      .find((card) => card.includes('Activity during access'));
    assert.ok(notice?.includes('4 audit records'), notice);
    const email = h.tenant.state.sentMails.filter((mail) => mail.to.includes('alex@contoso.com')).at(-1)!;
    assert.match(email.body, /4 audit records \(MailItemsAccessed ×2/);
    const events = (await h.custodian.store.listAudit({ requestId: id })).map((event) => event.type);
    assert.ok(events.indexOf('activity.reported') < events.lastIndexOf('step.done'), 'the notice is sent after the report');
  });

  it('says plainly when the search is not available instead of showing nothing', async () => {
    h.tenant.state.audit.available = false;
    const id = await grantAndExpire('request alex@contoso.com ticket INC-1 jurisdiction EU access read for 1h because checking an invoice');
    h.clock.advance(HOUR);
    await h.runScheduler();
    const done = (await h.custodian.store.getRequest(id))!;
    assert.equal(done.activity?.status, 'unavailable');
    assert.ok(done.activity?.reason && done.activity.reason.length > 10, done.activity?.reason);
    await h.say(USERS.adele, `status ${id}`);
    assert.match(cardText(h.personalCards(USERS.adele).at(-1)), /Activity[\s\S]*not available/);
  });
});
