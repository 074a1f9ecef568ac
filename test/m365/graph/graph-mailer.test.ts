import assert from 'node:assert/strict';
import { GraphError } from '../../../src/m365/graph/graph-error';
import { useLocalTenant } from '../local-tenant-harness';

describe('m365/graph/graph-mailer against the local tenant', () => {
  const h = useLocalTenant({ config: { callBudgetMs: 3_000 } });

  it('sends plain text from the service mailbox to every recipient', async () => {
    await h.m365.mailer.send({ to: ['alex@contoso.com', 'nestor@contoso.com'], subject: 'Access to your mailbox', body: 'Line 1\nLine 2' });
    assert.equal(h.tenant.state.sentMails.length, 1);
    const [mail] = h.tenant.state.sentMails;
    assert.equal(mail.from, 'custodian@contoso.com');
    assert.deepEqual(mail.to, ['alex@contoso.com', 'nestor@contoso.com']);
    assert.equal(mail.subject, 'Access to your mailbox');
    assert.equal(mail.body, 'Line 1\nLine 2');
    assert.equal(mail.contentType, 'Text');
  });

  it('retries a 429 with its Retry-After and sends once', async () => {
    h.tenant.faults.throttle({ route: 'graph:sendMail', retryAfterSeconds: 1 });
    const started = Date.now();
    await h.m365.mailer.send({ to: ['alex@contoso.com'], subject: 's', body: 'b' });
    assert.ok(Date.now() - started >= 950);
    assert.equal(h.tenant.state.sentMails.length, 1);
    assert.deepEqual(h.waits, [1_000]);
  });

  it('fails with ErrorAccessDenied when the app lacks Mail.Send', async () => {
    h.tenant.state.app.graphRoles.delete('Mail.Send');
    const err = await h.m365.mailer.send({ to: ['alex@contoso.com'], subject: 's', body: 'b' }).catch((e: unknown) => e);
    assert.ok(err instanceof GraphError);
    assert.equal(err.status, 403);
    assert.equal(err.code, 'ErrorAccessDenied');
    assert.equal(h.tenant.state.sentMails.length, 0);
  });

  it('refuses a message without recipients, with a bad address or without subject', async () => {
    await assert.rejects(h.m365.mailer.send({ to: [], subject: 's', body: 'b' }), /no recipients/);
    await assert.rejects(h.m365.mailer.send({ to: ['alex'], subject: 's', body: 'b' }), /Recipient must be a UPN or e-mail address/);
    await assert.rejects(h.m365.mailer.send({ to: ['alex@contoso.com'], subject: '  ', body: 'b' }), /subject is empty/);
    assert.equal(h.tenant.state.callCount('graph:sendMail'), 0);
  });
});
