import assert from 'node:assert/strict';
import { defaultFixture, loadFixture, startLocalTenant, type LocalTenant } from '../../src/local-tenant';
import { createTrustedFetch, type TrustedFetch } from '../../src/m365/auth/trusted-fetch';

describe('local-tenant', () => {
  let tenant: LocalTenant;
  let http: TrustedFetch;

  beforeEach(async () => {
    tenant = await startLocalTenant({ fixture: defaultFixture({ extraMailboxes: 250 }) });
    http = createTrustedFetch({ caCertPem: tenant.caCertPem });
  });
  afterEach(async () => {
    await http.close();
    await tenant.close();
  });

  const tokenUrl = () => `${tenant.authorityUrl}/oauth2/v2.0/token`;
  const requestToken = (fields: Record<string, string>) =>
    http.fetch(tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: tenant.clientId, ...fields }).toString(),
    });
  const tokenFor = async (base: string) => {
    const res = await requestToken({ client_secret: tenant.clientSecret, scope: `${base}/.default` });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const graphGet = async (path: string, token?: string) =>
    http.fetch(`${tenant.graphBaseUrl}/v1.0${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const exchangePost = async (path: string, body: unknown, headers: Record<string, string>) =>
    http.fetch(`${tenant.exchangeBaseUrl}/adminapi/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  describe('TLS', () => {
    it('serves a per-run certificate that clients must trust explicitly', async () => {
      const untrusting = createTrustedFetch();
      try {
        await assert.rejects(untrusting.fetch(`${tenant.authorityUrl}/v2.0/.well-known/openid-configuration`), /self-signed certificate/);
      } finally {
        await untrusting.close();
      }
      const res = await http.fetch(`${tenant.authorityUrl}/v2.0/.well-known/openid-configuration`);
      const doc = (await res.json()) as { token_endpoint: string };
      assert.equal(doc.token_endpoint, tokenUrl());
    });
  });

  describe('token endpoint', () => {
    it('issues a JWT-shaped token for a known resource', async () => {
      const res = await requestToken({ client_secret: tenant.clientSecret, scope: `${tenant.graphBaseUrl}/.default` });
      assert.equal(res.status, 200);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 3599);
      assert.equal(String(body.access_token).split('.').length, 3);
      assert.equal(tenant.state.callCount('token'), 1);
    });

    it('answers a wrong secret in the Entra error format', async () => {
      const res = await requestToken({ client_secret: 'wrong', scope: `${tenant.graphBaseUrl}/.default` });
      assert.equal(res.status, 401);
      const body = (await res.json()) as { error: string; error_description: string; error_codes: number[] };
      assert.equal(body.error, 'invalid_client');
      assert.deepEqual(body.error_codes, [7000215]);
      assert.match(body.error_description, /^AADSTS7000215: Invalid client secret provided/);
    });

    it('refuses an unknown client, a scope without /.default and an unknown resource', async () => {
      const unknown = await http.fetch(tokenUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: '00000000-0000-4000-8000-000000000000',
          client_secret: 'x',
          scope: 'x/.default',
        }).toString(),
      });
      assert.equal(((await unknown.json()) as { error_codes: number[] }).error_codes[0], 700016);
      const scope = await requestToken({ client_secret: tenant.clientSecret, scope: `${tenant.graphBaseUrl}/User.Read` });
      assert.equal(((await scope.json()) as { error: string }).error, 'invalid_scope');
      const resource = await requestToken({ client_secret: tenant.clientSecret, scope: 'https://management.azure.com/.default' });
      assert.equal(((await resource.json()) as { error: string }).error, 'invalid_resource');
    });
  });

  describe('Graph', () => {
    it('requires a bearer token for the Graph audience', async () => {
      const none = await graphGet('/users');
      assert.equal(none.status, 401);
      assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'InvalidAuthenticationToken');
      const wrongAudience = await graphGet('/users', await tokenFor(tenant.exchangeBaseUrl));
      assert.equal(wrongAudience.status, 401);
      assert.match(((await wrongAudience.json()) as { error: { message: string } }).error.message, /Invalid audience/);
    });

    it('pages the user list with @odata.nextLink', async () => {
      const token = await tokenFor(tenant.graphBaseUrl);
      let url: string | undefined = `${tenant.graphBaseUrl}/v1.0/users?$top=100&$select=id,userPrincipalName`;
      let count = 0;
      let pages = 0;
      while (url) {
        const page = (await (await http.fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()) as {
          value: Array<Record<string, unknown>>;
          '@odata.nextLink'?: string;
        };
        count += page.value.length;
        pages += 1;
        assert.deepEqual(Object.keys(page.value[0]).sort(), ['id', 'userPrincipalName']);
        url = page['@odata.nextLink'];
      }
      assert.equal(count, 261);
      assert.equal(pages, 3);
    });

    it('answers an unsupported $filter with Request_UnsupportedQuery', async () => {
      const res = await graphGet(
        `/users?$filter=${encodeURIComponent("startswith(displayName,'A')")}`,
        await tokenFor(tenant.graphBaseUrl),
      );
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'Request_UnsupportedQuery');
    });
  });

  describe('Exchange admin API', () => {
    const cmdlet = (name: string, parameters: Record<string, unknown>) => ({ CmdletInput: { CmdletName: name, Parameters: parameters } });

    it('requires the X-AnchorMailbox routing hint', async () => {
      const token = await tokenFor(tenant.exchangeBaseUrl);
      const res = await exchangePost(`v2.0/${tenant.tenantId}/Mailbox`, cmdlet('Get-Mailbox', { Identity: 'alex@contoso.com' }), {
        authorization: `Bearer ${token}`,
      });
      assert.equal(res.status, 400);
      const ok = await exchangePost(`v2.0/${tenant.tenantId}/Mailbox`, cmdlet('Get-Mailbox', { Identity: 'alex@contoso.com' }), {
        authorization: `Bearer ${token}`,
        'x-anchormailbox': 'UPN:alex@contoso.com',
      });
      const body = (await ok.json()) as { value: Array<Record<string, unknown>>; '@adminapi.warnings': string[] };
      assert.equal(body.value[0].UserPrincipalName, 'alex@contoso.com');
      assert.deepEqual(body['@adminapi.warnings'], []);
    });

    it('answers cmdlet errors in the admin API format', async () => {
      const headers = { authorization: `Bearer ${await tokenFor(tenant.exchangeBaseUrl)}`, 'x-anchormailbox': 'UPN:alex@contoso.com' };
      const unknownParameter = await exchangePost(
        `v2.0/${tenant.tenantId}/Mailbox`,
        cmdlet('Get-Mailbox', { Identiy: 'alex@contoso.com' }),
        headers,
      );
      const body = (await unknownParameter.json()) as { error: { details: Array<{ message: string }> } };
      // The shape of a live capture (graph2otel errors_test.go, liveUnknownParameterBody).
      assert.equal(unknownParameter.status, 400);
      assert.equal((body.error as unknown as { message: string }).message, 'Invalid Operation');
      assert.match(
        body.error.details[0].message,
        /^\|Microsoft\.Exchange\.AdminApi\.CommandInvocation\.AmbiguousParameterSetException\|.*Invalid cmdlet parameters specified\. Identiy$/,
      );
      // FullAccess cmdlets exist only behind InvokeCommand.
      const wrongEndpoint = await exchangePost(
        `v2.0/${tenant.tenantId}/Mailbox`,
        cmdlet('Add-MailboxPermission', { Identity: 'alex@contoso.com' }),
        headers,
      );
      assert.equal(wrongEndpoint.status, 400);
      const hashtable = await exchangePost(
        `v2.0/${tenant.tenantId}/Mailbox`,
        cmdlet('Set-Mailbox', { Identity: 'alex@contoso.com', GrantSendOnBehalfTo: { Add: ['adele@contoso.com'] } }),
        headers,
      );
      assert.equal(hashtable.status, 400, 'a hashtable needs its @odata.type');
      const missing = await exchangePost(
        `v2.0/${tenant.tenantId}/Mailbox`,
        cmdlet('Get-Mailbox', { Identity: 'ghost@contoso.com' }),
        headers,
      );
      assert.equal(missing.status, 404);
    });

    it('refuses a Graph token', async () => {
      const res = await exchangePost(
        `beta/${tenant.tenantId}/InvokeCommand`,
        cmdlet('Get-MailboxPermission', { Identity: 'alex@contoso.com' }),
        {
          authorization: `Bearer ${await tokenFor(tenant.graphBaseUrl)}`,
          'x-anchormailbox': 'UPN:alex@contoso.com',
        },
      );
      assert.equal(res.status, 401);
    });
  });

  describe('faults', () => {
    it('throttles only the chosen route, for the chosen number of requests, with Retry-After', async () => {
      const token = await tokenFor(tenant.graphBaseUrl);
      tenant.faults.throttle({ route: 'graph:user', retryAfterSeconds: 3, times: 2 });
      const other = await graphGet('/users?$top=1', token);
      assert.equal(other.status, 200);
      for (let i = 0; i < 2; i++) {
        const res = await graphGet('/users/alex@contoso.com', token);
        assert.equal(res.status, 429);
        assert.equal(res.headers.get('retry-after'), '3');
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'TooManyRequests');
      }
      assert.equal((await graphGet('/users/alex@contoso.com', token)).status, 200);
      assert.equal(tenant.faults.applied.throttle, 2);
    });

    it('drops the connection, fails with 500 and answers slowly when told to', async () => {
      const token = await tokenFor(tenant.graphBaseUrl);
      tenant.faults.drop({ route: 'graph' });
      await assert.rejects(graphGet('/users/alex@contoso.com', token), /fetch failed|other side closed|socket/i);
      tenant.faults.fail({ status: 500 });
      assert.equal((await graphGet('/users/alex@contoso.com', token)).status, 500);
      tenant.faults.slow({ delayMs: 300 });
      const started = Date.now();
      assert.equal((await graphGet('/users/alex@contoso.com', token)).status, 200);
      assert.ok(Date.now() - started >= 290);
    });

    it('refuses a fault rule for zero requests', () => {
      assert.throws(() => tenant.faults.fail({ times: 0 }), /times must be positive/);
    });
  });

  describe('fixture', () => {
    it('names the bad field of an invalid fixture', () => {
      const bad = defaultFixture();
      (bad.users as Array<{ id: string }>)[0].id = 'not-a-guid';
      assert.throws(() => loadFixture(bad), /fixture is invalid at users\.0\.id: must be a GUID/);
      assert.throws(() => loadFixture('/nonexistent/fixture.json'), /cannot be read/);
    });

    it('refuses a permission on a user without a mailbox', async () => {
      await assert.rejects(
        startLocalTenant({
          fixture: defaultFixture({ permissions: [{ mailbox: 'grady@contoso.com', grantee: 'adele@contoso.com', kind: 'FullAccess' }] }),
        }),
        /grady@contoso\.com, which has no mailbox/,
      );
    });

    it('seeds the documented users, groups and the standing permission', () => {
      const s = tenant.state;
      assert.equal(s.tenantId, '4c1d9a52-0d5e-4f1e-9a3b-c0570d05c0de');
      assert.equal(s.userById('a0000000-0000-4000-8000-000000000007')?.managerId, 'a0000000-0000-4000-8000-000000000001');
      assert.equal(s.mailbox('grady@contoso.com'), undefined);
      assert.equal(s.mailbox('isaiah@contoso.com')?.auditEnabled, false);
      assert.deepEqual(s.permissionsOf('isaiah@contoso.com'), [{ grantee: 'johanna@contoso.com', kind: 'FullAccess' }]);
      assert.deepEqual(s.groups.get('b0000000-0000-4000-8000-000000000004')?.members, [
        'a0000000-0000-4000-8000-000000000002',
        'a0000000-0000-4000-8000-000000000006',
      ]);
      assert.equal(s.mailboxes.size, 10 + 250);
    });
  });
});
