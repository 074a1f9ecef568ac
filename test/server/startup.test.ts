import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalTenant, type LocalTenant } from '../../src/local-tenant';

const ROOT = resolve(__dirname, '..', '..');

/** Runs src/main.ts as the container does and collects what an operator would see (stopped early once `until` shows). */
function runMain(env: Record<string, string>, timeoutMs = 25_000, until?: RegExp): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (until?.test(output)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe('start-up refuses bad configuration with a clear message and a non-zero exit', function () {
  this.timeout(60_000);
  let tenant: LocalTenant;
  let dir: string;
  let production: Record<string, string>;

  before(async () => {
    tenant = await startLocalTenant();
    dir = mkdtempSync(join(tmpdir(), 'custodian-startup-'));
    writeFileSync(join(dir, 'ca.pem'), tenant.caCertPem);
    production = {
      CUSTODIAN_MODE: 'production',
      PORT: '0',
      CUSTODIAN_DATA_DIR: dir,
      MICROSOFT_APP_ID: '11111111-2222-4333-8444-555555555555',
      MICROSOFT_APP_PASSWORD: 'bot-secret-value',
      MICROSOFT_APP_TENANT_ID: tenant.tenantId,
      M365_TENANT_ID: tenant.tenantId,
      M365_CLIENT_ID: tenant.clientId,
      M365_CLIENT_SECRET: tenant.clientSecret,
      M365_AUTHORITY_HOST: tenant.authorityHost,
      M365_GRAPH_BASE_URL: tenant.graphBaseUrl,
      M365_EXCHANGE_BASE_URL: tenant.exchangeBaseUrl,
      M365_SERVICE_MAILBOX: 'custodian@contoso.com',
      M365_CA_CERT_FILE: join(dir, 'ca.pem'),
      LOG_LEVEL: 'silent',
    };
  });
  after(async () => {
    await tenant.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names every bad setting and never echoes a secret', async () => {
    const { code, output } = await runMain({
      CUSTODIAN_MODE: 'production',
      PORT: 'eighty',
      M365_CLIENT_SECRET: 'super-secret-value',
      MONGODB_URI: 'http://db',
    });
    assert.equal(code, 1);
    for (const named of [
      'PORT must be a port number',
      'M365_TENANT_ID is required',
      'MICROSOFT_APP_ID is required',
      'MONGODB_URI must start with mongodb://',
    ])
      assert.ok(output.includes(named), `${named} not in:\n${output}`);
    assert.ok(!output.includes('super-secret-value'));
  });

  it('refuses local mode pointed at a real tenant without bot credentials, naming the missing setting', async () => {
    const { code, output } = await runMain({
      CUSTODIAN_MODE: 'local',
      PORT: '0',
      CUSTODIAN_DATA_DIR: dir,
      M365_TENANT_ID: tenant.tenantId,
      M365_CLIENT_ID: tenant.clientId,
      M365_CLIENT_SECRET: 'real-tenant-secret',
      M365_SERVICE_MAILBOX: 'custodian@contoso.com',
    });
    assert.equal(code, 1);
    assert.match(output, /MICROSOFT_APP_ID is required because the Microsoft 365 settings point outside this machine/);
    assert.match(output, /M365_GRAPH_BASE_URL=graph\.microsoft\.com/);
    assert.ok(!output.includes('real-tenant-secret'));
    assert.ok(!output.includes('Custodian is listening'));
  });

  it('local mode without credentials says at start that calls are not authenticated and listens on loopback only', async () => {
    const { output } = await runMain(
      // JSON lines, so the listening line can be read (local mode logs readable lines by default).
      { CUSTODIAN_MODE: 'local', PORT: '0', CUSTODIAN_DATA_DIR: dir, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
      40_000,
      /Custodian is listening/,
    );
    assert.match(output, /Local mode: incoming Bot Framework calls are NOT authenticated/);
    const listening = output.split('\n').find((line) => line.includes('Custodian is listening'));
    assert.ok(listening, output);
    assert.equal((JSON.parse(listening) as { host: string }).host, '127.0.0.1');
  });

  it('stops when the tenant lacks a required permission, printing the doctor table with the fix', async () => {
    tenant.state.app.graphRoles.delete('User.Read.All');
    try {
      const { code, output } = await runMain(production);
      assert.equal(code, 1);
      assert.match(output, /The tenant is not ready for Custodian/);
      assert.match(output, /User\.Read\.All/);
      assert.ok(!output.includes(tenant.clientSecret) && !output.includes('bot-secret-value'));
    } finally {
      tenant.state.app.graphRoles.add('User.Read.All');
    }
  });

  it('stops when MongoDB is unreachable, naming the host but not the password', async () => {
    const { code, output } = await runMain({
      ...production,
      MONGODB_URI: 'mongodb://custodian:hunter2-password@127.0.0.1:1/custodian?serverSelectionTimeoutMS=1000',
    });
    assert.equal(code, 1);
    assert.match(output, /127\.0\.0\.1:1/);
    assert.ok(!output.includes('hunter2-password'), output);
  });
});
