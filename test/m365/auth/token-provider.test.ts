import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { generate } from 'selfsigned';
import jwt from 'jsonwebtoken';
import { startLocalTenant, type LocalTenant } from '../../../src/local-tenant';
import { loadCertificateCredential, MsalTokenProvider, TokenError, type ClientCredential } from '../../../src/m365/auth/token-provider';
import { createTrustedFetch, type TrustedFetch } from '../../../src/m365/auth/trusted-fetch';
import { scopeFor } from '../../../src/m365/config';
import { silentLogger } from '../../../src/shared/logger';

describe('m365/auth/token-provider against the local tenant', () => {
  let tenant: LocalTenant;
  let http: TrustedFetch;

  beforeEach(async () => {
    tenant = await startLocalTenant();
    http = createTrustedFetch({ caCertPem: tenant.caCertPem });
  });
  afterEach(async () => {
    await http.close();
    await tenant.close();
  });

  const provider = (credential: ClientCredential, sleep?: (ms: number) => Promise<void>, wallClock?: () => number) =>
    new MsalTokenProvider({
      tenantId: tenant.tenantId,
      clientId: tenant.clientId,
      credential,
      authorityHost: tenant.authorityHost,
      scopes: { graph: scopeFor(tenant.graphBaseUrl), exchange: scopeFor(tenant.exchangeBaseUrl) },
      fetch: http.fetch,
      logger: silentLogger,
      sleep,
      wallClock,
    });

  it('gets an app token per resource with the right audience and roles', async () => {
    const tokens = provider({ kind: 'secret', secret: tenant.clientSecret });
    const graph = jwt.decode(await tokens.getToken('graph')) as jwt.JwtPayload;
    const exchange = jwt.decode(await tokens.getToken('exchange')) as jwt.JwtPayload;
    assert.equal(graph.aud, tenant.graphBaseUrl);
    assert.equal(exchange.aud, tenant.exchangeBaseUrl);
    assert.ok((graph.roles as string[]).includes('User.Read.All'));
    // Fact 15: Mail.Send granted through Exchange RBAC for Applications is not in the token.
    assert.ok(!(graph.roles as string[]).includes('Mail.Send'));
    assert.deepEqual(exchange.roles, ['Exchange.ManageAsApp']);
  });

  it("serves repeats from MSAL's cache: the token endpoint is asked once per resource", async () => {
    const tokens = provider({ kind: 'secret', secret: tenant.clientSecret });
    const first = await tokens.getToken('graph');
    const second = await tokens.getToken('graph');
    assert.equal(second, first);
    assert.equal(tenant.state.callCount('token'), 1);
    await tokens.getToken('exchange');
    assert.equal(tenant.state.callCount('token'), 2);
  });

  it('hands a token out again without asking MSAL until five minutes before it expires', async () => {
    const start = Date.now();
    let wall = start;
    const tokens = provider({ kind: 'secret', secret: tenant.clientSecret }, undefined, () => wall);
    const proto = ConfidentialClientApplication.prototype;
    const original = Object.getOwnPropertyDescriptor(proto, 'acquireTokenByClientCredential')!;
    const acquire = original.value as (this: ConfidentialClientApplication, ...args: unknown[]) => unknown;
    let asked = 0;
    Object.defineProperty(proto, 'acquireTokenByClientCredential', {
      ...original,
      value(this: ConfidentialClientApplication, ...args: unknown[]) {
        asked++;
        return acquire.apply(this, args);
      },
    });
    try {
      const first = await tokens.getToken('exchange');
      assert.equal(await tokens.getToken('exchange'), first);
      assert.equal(asked, 1, 'the repeat is the kept token');
      // The tenant's tokens last 3,599 s (MSAL counts whole seconds): kept until 3,299 s, give or take one.
      wall = start + 3_293_000;
      assert.equal(await tokens.getToken('exchange'), first);
      assert.equal(asked, 1, 'still more than five minutes left');
      wall = start + 3_305_000;
      await tokens.getToken('exchange');
      assert.equal(asked, 2, 'five minutes before expiry MSAL is asked again');
      assert.equal(tenant.state.callCount('token'), 1, "MSAL's own cache answered (its clock did not move)");
    } finally {
      Object.defineProperty(proto, 'acquireTokenByClientCredential', original);
    }
  });

  it('concurrent first requests for a resource share one call to the token endpoint', async () => {
    const tokens = provider({ kind: 'secret', secret: tenant.clientSecret });
    const graph = await Promise.all(Array.from({ length: 8 }, () => tokens.getToken('graph')));
    assert.equal(new Set(graph).size, 1);
    assert.equal(tenant.state.callCount('token'), 1);
    const both = await Promise.all([tokens.getToken('exchange'), tokens.getToken('exchange'), tokens.getToken('graph')]);
    assert.equal(both[0], both[1]);
    assert.equal(both[2], graph[0]);
    assert.equal(tenant.state.callCount('token'), 2, 'one more for exchange, graph from the cache');
  });

  it('a failed request is not shared with the next caller', async () => {
    const tokens = provider({ kind: 'secret', secret: 'wrong' });
    await assert.rejects(Promise.all([tokens.getToken('graph'), tokens.getToken('graph')]), TokenError);
    assert.equal(tenant.state.callCount('token'), 1);
    await assert.rejects(tokens.getToken('graph'), TokenError);
    assert.equal(tenant.state.callCount('token'), 2, 'asked again after the failure');
  });

  it('fails clearly on a wrong secret, without retrying and without echoing the secret', async () => {
    const secret = 'definitely-not-the-secret-value';
    const err = await provider({ kind: 'secret', secret })
      .getToken('graph')
      .catch((e: unknown) => e);
    assert.ok(err instanceof TokenError, String(err));
    assert.equal(err.code, 'invalid_client');
    assert.equal(err.transient, false);
    assert.match(err.message, /AADSTS7000215: Invalid client secret provided/);
    assert.ok(!err.message.includes(secret));
    assert.equal(tenant.state.callCount('token'), 1);
  });

  it('retries a token endpoint outage and then succeeds', async () => {
    const waits: number[] = [];
    tenant.faults.fail({ route: 'token', status: 503 });
    const token = await provider({ kind: 'secret', secret: tenant.clientSecret }, async (ms) => {
      waits.push(ms);
    }).getToken('graph');
    assert.ok(token.split('.').length === 3);
    assert.equal(tenant.state.callCount('token'), 2);
    assert.equal(waits.length, 1);
  });

  describe('certificate credentials', () => {
    let pemPath: string;
    let certPem: string;

    before(async () => {
      const pems = await generate([{ name: 'commonName', value: 'custodian-app' }], { keySize: 2048, algorithm: 'sha256' });
      certPem = pems.cert;
      const dir = mkdtempSync(join(tmpdir(), 'custodian-cert-'));
      pemPath = join(dir, 'app.pem');
      writeFileSync(pemPath, `${pems.private}\n${pems.cert}\n`);
    });

    it('signs a client assertion the tenant accepts when the certificate is registered', async () => {
      tenant.state.app.certificates.push(certPem);
      const credential = loadCertificateCredential(pemPath);
      assert.equal(credential.kind, 'certificate');
      const token = await provider(credential).getToken('exchange');
      assert.equal((jwt.decode(token) as jwt.JwtPayload).aud, tenant.exchangeBaseUrl);
    });

    it('is refused when the certificate is not registered on the app', async () => {
      const err = await provider(loadCertificateCredential(pemPath))
        .getToken('graph')
        .catch((e: unknown) => e);
      assert.ok(err instanceof TokenError);
      assert.equal(err.code, 'invalid_client');
      assert.match(err.message, /AADSTS700027/);
    });

    it('names a PEM file without a private key', () => {
      const dir = mkdtempSync(join(tmpdir(), 'custodian-cert-'));
      const path = join(dir, 'cert-only.pem');
      writeFileSync(path, certPem);
      assert.throws(() => loadCertificateCredential(path), /holds no PEM private key/);
      assert.throws(() => loadCertificateCredential(join(dir, 'missing.pem')), /cannot read/);
    });
  });
});
