import assert from 'node:assert/strict';
import { POLITE, REALISTIC, type Realism } from '../../../src/local-tenant/realism';
import { ExchangeHttpError } from '../../../src/m365/exchange-online/admin-api-errors';
import { appAnchor, mailboxAnchor } from '../../../src/m365/exchange-online/admin-api-client';
import { useLocalTenant, type Harness } from '../local-tenant-harness';

// Fact 12 of real-tenant.md: @odata.nextLink works on v2.0 (links expire),
// replaying it on beta InvokeCommand answers 400 "Expired or Invalid
// pagination request". Lists must come back whole or not at all.
const alex = 'alex@contoso.com';
const anchor = appAnchor('contoso.com');
const MINUTES_31 = 31 * 60_000;

/** Standing FullAccess for three people, so that alex's permission list runs to several pages of one row. */
function seedHolders(h: Harness): void {
  for (const grantee of ['adele@contoso.com', 'megan@contoso.com', 'nestor@contoso.com'])
    h.tenant.state.seedPermission({ mailbox: alex, grantee, kind: 'FullAccess' });
}

async function baseline(h: Harness, run: () => Promise<{ value: unknown[] }>): Promise<number> {
  const whole = (await run()).value.length;
  assert.ok(whole >= 3, `the fixture gives a list long enough to page (${whole})`);
  h.tenant.state.pageSize.exchange = 1;
  return whole;
}

function refusedAsIncomplete(error: unknown): boolean {
  assert.ok(error instanceof ExchangeHttpError);
  assert.equal(error.code, 'paginationRefused');
  assert.match(
    error.message,
    /Get-\w+: Exchange refused page 2 of the list \("Expired or Invalid pagination request"\), so the list would be incomplete/,
  );
  return true;
}

for (const [name, realism] of [
  ['realistic', REALISTIC],
  ['polite', POLITE],
] as [string, Realism][]) {
  describe(`m365/exchange-online/admin-api-client: paging (${name} tenant)`, () => {
    const h = useLocalTenant({ tenant: { realism } });
    beforeEach(() => seedHolders(h));
    const getMailbox = (endpoint: 'Mailbox' | 'InvokeCommand') => () =>
      h.m365.exchangeApi.run(endpoint, 'Get-Mailbox', { ResultSize: 'Unlimited' }, anchor);
    const getPermissions = () => h.m365.exchangeApi.run('InvokeCommand', 'Get-MailboxPermission', { Identity: alex }, mailboxAnchor(alex));

    it('v2.0: follows @odata.nextLink to the end of the list', async () => {
      const whole = await baseline(h, getMailbox('Mailbox'));
      const before = h.tenant.state.calls.get('exchange:Mailbox') ?? 0;
      assert.equal((await getMailbox('Mailbox')()).value.length, whole);
      assert.equal((h.tenant.state.calls.get('exchange:Mailbox') ?? 0) - before, whole, 'one request per page of one row');
    });

    it('v2.0: a link that expired while reading gets one fresh read from the first page', async () => {
      const whole = await baseline(h, getMailbox('Mailbox'));
      let issued = 0;
      // The second link is looked at 31 minutes after the first was issued (the default expiry is 30).
      h.tenant.state.now = () => Date.now() + (++issued === 2 ? MINUTES_31 : 0);
      assert.equal((await getMailbox('Mailbox')()).value.length, whole);
    });

    it('v2.0: links that keep expiring fail the read with a clear error, never a short list', async () => {
      await baseline(h, getMailbox('Mailbox'));
      h.tenant.state.paging.lifetimeMs = -1;
      const read = getMailbox('Mailbox')();
      if (realism.expiringNextLinks) await assert.rejects(read, refusedAsIncomplete);
      else assert.ok((await read).value.length >= 3);
    });

    it('beta InvokeCommand: a cmdlet v2.0 also runs is read whole (via v2.0 when beta refuses its link)', async () => {
      const whole = await baseline(h, getMailbox('InvokeCommand'));
      assert.equal((await getMailbox('InvokeCommand')()).value.length, whole);
    });

    it('beta InvokeCommand: Get-MailboxPermission is whole or a clear error', async () => {
      const whole = await baseline(h, getPermissions);
      if (realism.expiringNextLinks) await assert.rejects(getPermissions(), refusedAsIncomplete);
      else assert.equal((await getPermissions()).value.length, whole);
    });

    it('the permission list behind pre-checks and the drift sweep is never cut short', async () => {
      h.tenant.state.pageSize.exchange = 1;
      const read = h.m365.exchange.listPermissions(alex);
      if (realism.expiringNextLinks) await assert.rejects(read, refusedAsIncomplete);
      else assert.ok((await read).filter((entry) => entry.kind === 'FullAccess').length >= 3);
    });
  });
}
