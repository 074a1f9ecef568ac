import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ConfigError, loadConfig, type AppConfig } from '../../src/config/app-config';
import { isLoopbackHost, listenHost, startupWarnings } from '../../src/config/startup-checks';

const ROOT = resolve(__dirname, '..', '..');

const MODES = [undefined, 'local', 'production'] as const;
const BOT = { MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'bot-secret', MICROSOFT_APP_TENANT_ID: 'tenant' };
const TENANT = {
  M365_TENANT_ID: 't',
  M365_CLIENT_ID: 'c',
  M365_CLIENT_SECRET: 'tenant-secret',
  M365_SERVICE_MAILBOX: 'custodian@contoso.com',
};
const LOOPBACK = {
  ...TENANT,
  M365_AUTHORITY_HOST: 'https://127.0.0.1:44300',
  M365_GRAPH_BASE_URL: 'https://localhost:44300',
  M365_EXCHANGE_BASE_URL: 'https://[::1]:44300',
};
const TARGETS = { none: {}, loopback: LOOPBACK, remote: TENANT } as const;

type Outcome = { refused: string[] } | { mode: AppConfig['mode']; host: string; warned: boolean };

/** What start-up makes of the settings: the configuration problems, or the mode, the address listened on and whether it warns. */
function startWith(env: Record<string, string | undefined>): Outcome {
  let config: AppConfig;
  try {
    config = loadConfig(env, ROOT);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return { refused: error.problems };
  }
  const jwt = config.bot.appId !== '';
  const host = listenHost(config.mode, jwt, undefined);
  return { mode: config.mode, host, warned: startupWarnings(config.mode, jwt, host).length > 0 };
}

const missingTenant = /^M365_|^set M365_CERTIFICATE_PATH/;

describe('start-up matrix: CUSTODIAN_MODE × Bot Framework credentials × Microsoft 365 target', () => {
  const expected: Record<keyof typeof TARGETS, Record<string, (outcome: Outcome, mode: (typeof MODES)[number]) => void>> = {
    none: {
      without: (outcome, mode) => {
        if (mode === 'production') {
          assert.ok('refused' in outcome);
          assert.ok(outcome.refused.some((problem) => missingTenant.test(problem)));
          // Production without M365_* settings means Microsoft's own endpoints: remote.
          assert.ok(
            outcome.refused.some((problem) => problem.startsWith('MICROSOFT_APP_ID is required because the Microsoft 365 settings')),
          );
        } else assert.deepEqual(outcome, { mode: 'local', host: '127.0.0.1', warned: true });
      },
      with: (outcome, mode) => {
        if (mode === 'production') {
          assert.ok('refused' in outcome);
          assert.ok(
            outcome.refused.every((problem) => missingTenant.test(problem)),
            outcome.refused.join('\n'),
          );
        } else assert.deepEqual(outcome, { mode: 'local', host: '127.0.0.1', warned: false });
      },
    },
    loopback: {
      without: (outcome, mode) => {
        if (mode === 'local') assert.deepEqual(outcome, { mode: 'local', host: '127.0.0.1', warned: true });
        else
          assert.deepEqual(outcome, {
            refused: [
              "MICROSOFT_APP_ID is required in production mode (the Azure Bot app ID; with it every incoming activity's JWT is validated)",
            ],
          });
      },
      with: (outcome, mode) => {
        if (mode === 'local') assert.deepEqual(outcome, { mode: 'local', host: '127.0.0.1', warned: false });
        else assert.deepEqual(outcome, { mode: 'production', host: '0.0.0.0', warned: false });
      },
    },
    remote: {
      without: (outcome) => {
        assert.ok('refused' in outcome);
        assert.equal(outcome.refused.length, 1, outcome.refused.join('\n'));
        assert.match(
          outcome.refused[0],
          /^MICROSOFT_APP_ID is required because the Microsoft 365 settings point outside this machine \(M365_AUTHORITY_HOST=login\.microsoftonline\.com, M365_GRAPH_BASE_URL=graph\.microsoft\.com, M365_EXCHANGE_BASE_URL=outlook\.office365\.com\), whatever CUSTODIAN_MODE says/,
        );
      },
      with: (outcome, mode) => {
        assert.deepEqual(outcome, { mode: mode ?? 'production', host: mode === 'local' ? '127.0.0.1' : '0.0.0.0', warned: false });
      },
    },
  };

  for (const mode of MODES)
    for (const [target, settings] of Object.entries(TARGETS) as [keyof typeof TARGETS, Record<string, string>][])
      for (const credentials of ['without', 'with'] as const)
        it(`CUSTODIAN_MODE=${mode ?? '(unset)'}, ${credentials} bot credentials, Microsoft 365 ${target}`, () => {
          const env = { ...(mode && { CUSTODIAN_MODE: mode }), ...settings, ...(credentials === 'with' ? BOT : {}) };
          expected[target][credentials](startWith(env), mode);
        });

  it('names the one bot setting that is missing for a remote tenant', () => {
    const outcome = startWith({ CUSTODIAN_MODE: 'local', ...TENANT, MICROSOFT_APP_ID: 'app', MICROSOFT_APP_TENANT_ID: 'tenant' });
    assert.ok('refused' in outcome);
    assert.deepEqual(
      outcome.refused.map((problem) => problem.replace(/ because .*$/, '')),
      ['MICROSOFT_APP_PASSWORD is required'],
    );
  });

  it('counts a tenant as remote when any one endpoint is outside loopback, or cannot be read', () => {
    for (const [name, value] of [
      ['M365_GRAPH_BASE_URL', 'https://graph.microsoft.com'],
      ['M365_EXCHANGE_BASE_URL', 'https://127.0.0.1.nip.io:443'],
      ['M365_AUTHORITY_HOST', 'not a url'],
    ]) {
      const outcome = startWith({ CUSTODIAN_MODE: 'local', ...LOOPBACK, [name]: value });
      assert.ok('refused' in outcome, name);
      assert.match(outcome.refused[0], new RegExp(`${name}=`));
    }
  });

  it('without JWT validation listens on loopback only and says so; with it, where asked', () => {
    assert.throws(() => listenHost('local', false, '0.0.0.0'), /will not listen on 0\.0\.0\.0 without Bot Framework credentials/);
    assert.throws(() => listenHost('production', false, '10.0.0.5'), /without Bot Framework credentials/);
    assert.equal(listenHost('local', false, '127.0.0.2'), '127.0.0.2');
    assert.equal(listenHost('local', true, '0.0.0.0'), '0.0.0.0');
    const [warning] = startupWarnings('local', false, '127.0.0.1');
    assert.match(warning, /^Local mode: incoming Bot Framework calls are NOT authenticated .*loopback \(127\.0\.0\.1\) only/);
    assert.deepEqual(startupWarnings('production', true, '0.0.0.0'), []);
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.255.0.9', 'localhost', 'LOCALHOST', '::1', '[::1]']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['128.0.0.1', '127.0.0.256', '0.0.0.0', 'localhost.contoso.com', '10.0.0.1', '::2', ''])
      assert.ok(!isLoopbackHost(host), host);
  });
});
