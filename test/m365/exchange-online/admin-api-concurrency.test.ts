import assert from 'node:assert/strict';
import { mailboxAnchor } from '../../../src/m365/exchange-online/admin-api-client';
import { useLocalTenant } from '../local-tenant-harness';

const alex = 'alex@contoso.com';

describe('m365/exchange-online/admin-api-client: requests in flight', () => {
  // One request at a time, each answered after 80 ms, so that requests queue and their order shows.
  const h = useLocalTenant({ tenant: { latencyMs: 80 }, config: { exchangeConcurrency: 1 } });

  it('never has more requests in flight than allowed, and sends queued changes before queued reads', async () => {
    const api = h.m365.exchangeApi;
    const done: string[] = [];
    const call = (name: string, cmdlet: string, parameters: Record<string, unknown>) =>
      api.run('InvokeCommand', cmdlet, parameters, mailboxAnchor(alex)).then(() => done.push(name));
    const first = call('first read', 'Get-MailboxPermission', { Identity: alex });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const queued = [
      call('queued read', 'Get-MailboxPermission', { Identity: alex }),
      call('queued change', 'Add-MailboxPermission', {
        Identity: alex,
        User: 'adele@contoso.com',
        AccessRights: ['FullAccess'],
        InheritanceType: 'All',
        AutoMapping: false,
        Confirm: false,
      }),
    ];
    const started = Date.now();
    await Promise.all([first, ...queued]);
    assert.deepEqual(done, ['first read', 'queued change', 'queued read']);
    // One after another: three answers of 80 ms each take at least twice that after the first.
    assert.ok(Date.now() - started >= 140, `took ${Date.now() - started} ms`);
  });
});
