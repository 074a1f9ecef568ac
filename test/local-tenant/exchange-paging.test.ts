import assert from 'node:assert/strict';
import { defaultFixture, startLocalTenant, type LocalTenant } from '../../src/local-tenant';
import { PAGINATION_REFUSED } from '../../src/local-tenant/exchange-paging';
import { POLITE } from '../../src/local-tenant/realism';
import { createTrustedFetch, type TrustedFetch } from '../../src/m365/auth/trusted-fetch';

// Fact 12 of real-tenant.md, as the simulated tenant answers it on the wire.
interface Page {
  value?: unknown[];
  '@odata.nextLink'?: string;
  error?: { message: string };
}

describe('local-tenant: Exchange next-page links (fact 12)', () => {
  let tenant: LocalTenant;
  let http: TrustedFetch;
  let token: string;

  async function start(options: Parameters<typeof startLocalTenant>[0]): Promise<void> {
    tenant = await startLocalTenant({ fixture: defaultFixture({ extraMailboxes: 5 }), ...options });
    tenant.state.pageSize.exchange = 4;
    http = createTrustedFetch({ caCertPem: tenant.caCertPem });
    const res = await http.fetch(`${tenant.authorityUrl}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: tenant.clientId,
        client_secret: tenant.clientSecret,
        scope: `${tenant.exchangeBaseUrl}/.default`,
      }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  }
  afterEach(async () => {
    await http.close();
    await tenant.close();
  });

  /** Get-Mailbox on v2.0 or beta InvokeCommand (`url` replays a next-page link); status and body. */
  async function getMailbox(endpoint: 'v2.0' | 'beta', url?: string): Promise<{ status: number; page: Page }> {
    const path = endpoint === 'v2.0' ? `v2.0/${tenant.tenantId}/Mailbox` : `beta/${tenant.tenantId}/InvokeCommand`;
    const res = await http.fetch(url ?? `${tenant.exchangeBaseUrl}/adminapi/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-anchormailbox': 'UPN:alex@contoso.com' },
      body: JSON.stringify({ CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: { ResultSize: 'Unlimited' } } }),
    });
    return { status: res.status, page: (await res.json()) as Page };
  }

  it('v2.0: pages with @odata.nextLink, and the link works until it expires', async () => {
    await start({});
    const first = await getMailbox('v2.0');
    assert.equal(first.page.value?.length, 4);
    const link = first.page['@odata.nextLink'];
    assert.ok(link, 'a longer list has a next page');
    const second = await getMailbox('v2.0', link);
    assert.equal(second.status, 200);
    assert.equal(second.page.value?.length, 4);
    tenant.state.now = () => Date.now() + 31 * 60_000;
    const expired = await getMailbox('v2.0', link);
    assert.equal(expired.status, 400);
    assert.equal(expired.page.error?.message, PAGINATION_REFUSED);
  });

  it('beta InvokeCommand: replaying its next-page link answers 400 "Expired or Invalid pagination request" at once', async () => {
    await start({});
    const first = await getMailbox('beta');
    assert.equal(first.page.value?.length, 4);
    const replay = await getMailbox('beta', first.page['@odata.nextLink']);
    assert.equal(replay.status, 400);
    assert.match(replay.page.error?.message ?? '', /^Expired or Invalid pagination request\. Default Expiry time is 00:30:00$/);
  });

  it('polite: every next-page link works, on beta too and after 31 minutes', async () => {
    await start({ realism: POLITE });
    const first = await getMailbox('beta');
    tenant.state.now = () => Date.now() + 31 * 60_000;
    const second = await getMailbox('beta', first.page['@odata.nextLink']);
    assert.equal(second.status, 200);
    assert.equal(second.page.value?.length, 4);
  });
});
