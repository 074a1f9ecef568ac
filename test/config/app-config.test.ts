import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/app-config';

const ROOT = '/srv/custodian';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, ROOT);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('runs locally with nothing set: simulated tenant, embedded store, defaults', () => {
    const config = loadConfig({}, ROOT);
    assert.equal(config.mode, 'local');
    assert.equal(config.m365, undefined);
    assert.equal(config.port, 3978);
    assert.equal(config.store.dataDir, '/srv/custodian/data');
    assert.equal(config.store.mongodbUri, undefined);
    assert.equal(config.policyFile, '/srv/custodian/bot/policies.yaml');
    assert.equal(config.activityReportDelayMs, 0);
    assert.equal(config.dailySummaryCron, '0 7 * * *');
    assert.deepEqual([config.schedulerLookaheadMs, config.schedulerConcurrency, config.exchangeConcurrency], [30_000, 1_000, 64]);
  });

  it('takes the scheduler and Exchange limits from the environment, within bounds, naming a bad one', () => {
    const config = loadConfig(
      { CUSTODIAN_SCHEDULER_LOOKAHEAD_MS: '0', CUSTODIAN_SCHEDULER_CONCURRENCY: '50', CUSTODIAN_EXCHANGE_CONCURRENCY: '8' },
      ROOT,
    );
    assert.deepEqual([config.schedulerLookaheadMs, config.schedulerConcurrency, config.exchangeConcurrency], [0, 50, 8]);
    const found = problems({
      CUSTODIAN_SCHEDULER_LOOKAHEAD_MS: '-1',
      CUSTODIAN_SCHEDULER_CONCURRENCY: 'many',
      CUSTODIAN_EXCHANGE_CONCURRENCY: '501',
    });
    assert.ok(
      found.some((problem) => problem.includes('CUSTODIAN_SCHEDULER_LOOKAHEAD_MS must be a whole number from 0 to 600000, got "-1"')),
      found.join('\n'),
    );
    assert.ok(
      found.some((problem) => problem.includes('CUSTODIAN_SCHEDULER_CONCURRENCY must be a whole number from 1 to 5000, got "many"')),
      found.join('\n'),
    );
    assert.ok(
      found.some((problem) => problem.includes('CUSTODIAN_EXCHANGE_CONCURRENCY must be a whole number from 1 to 500, got "501"')),
      found.join('\n'),
    );
  });

  it('switches to production when a tenant is configured, and then requires the bot and tenant credentials', () => {
    const found = problems({ M365_TENANT_ID: 'x' });
    assert.deepEqual(found.sort(), [
      'M365_CLIENT_ID is required in production mode (the app registration ID)',
      'M365_SERVICE_MAILBOX is required in production mode (the mailbox that sends notices)',
      "MICROSOFT_APP_ID is required because the Microsoft 365 settings point outside this machine (M365_AUTHORITY_HOST=login.microsoftonline.com, M365_GRAPH_BASE_URL=graph.microsoft.com, M365_EXCHANGE_BASE_URL=outlook.office365.com), whatever CUSTODIAN_MODE says (the Azure Bot app ID; with it every incoming activity's JWT is validated)",
      'set M365_CERTIFICATE_PATH (recommended) or M365_CLIENT_SECRET in production mode',
    ]);
  });

  it('accepts a complete production configuration; the activity search waits an hour by default', () => {
    const config = loadConfig(
      {
        M365_TENANT_ID: 't',
        M365_CLIENT_ID: 'c',
        M365_CLIENT_SECRET: 's',
        M365_SERVICE_MAILBOX: 'custodian@contoso.com',
        MICROSOFT_APP_ID: 'a',
        MICROSOFT_APP_PASSWORD: 'p',
        MICROSOFT_APP_TENANT_ID: 't',
        MONGODB_URI: 'mongodb+srv://user:pw@cluster.example.net/',
      },
      ROOT,
    );
    assert.equal(config.mode, 'production');
    assert.equal(config.activityReportDelayMs, 60 * 60_000);
    assert.equal(config.m365?.graphBaseUrl, 'https://graph.microsoft.com');
  });

  it('refuses a certificate and a secret together, a bad e-mail copy address and an unknown log level', () => {
    const found = problems({
      CUSTODIAN_MODE: 'local',
      M365_TENANT_ID: 't',
      M365_CLIENT_ID: 'c',
      M365_CLIENT_SECRET: 's',
      M365_CERTIFICATE_PATH: '/k.pem',
      M365_SERVICE_MAILBOX: 'x@y.z',
      CUSTODIAN_SECURITY_EMAIL: 'soc',
      LOG_LEVEL: 'loud',
    });
    assert.ok(found.includes('set only one of M365_CLIENT_SECRET and M365_CERTIFICATE_PATH'), found.join('\n'));
    assert.ok(found.some((problem) => problem.startsWith('CUSTODIAN_SECURITY_EMAIL must be an e-mail address')));
    assert.ok(found.some((problem) => problem.startsWith('LOG_LEVEL:')));
  });

  it('logs readable lines locally and JSON lines in production unless LOG_FORMAT says otherwise; names a bad format', () => {
    assert.equal(loadConfig({}, ROOT).logFormat, 'pretty');
    assert.equal(loadConfig({ LOG_FORMAT: 'json' }, ROOT).logFormat, 'json');
    assert.ok(problems({ LOG_FORMAT: 'colour' }).some((problem) => problem.includes('LOG_FORMAT must be json or pretty')));
  });

  it('local mode pointed at a real tenant is refused without bot credentials, and runs with them', () => {
    const tenant = {
      CUSTODIAN_MODE: 'local',
      M365_TENANT_ID: 't',
      M365_CLIENT_ID: 'c',
      M365_CLIENT_SECRET: 's',
      M365_SERVICE_MAILBOX: 'x@contoso.com',
    };
    assert.deepEqual(
      problems(tenant).map((problem) => problem.replace(/ \(.*$/, '')),
      ['MICROSOFT_APP_ID is required because the Microsoft 365 settings point outside this machine'],
    );
    const config = loadConfig({ ...tenant, MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TENANT_ID: 't' }, ROOT);
    assert.equal(config.mode, 'local');
    assert.equal(config.m365?.tenantId, 't');
    assert.equal(config.bot.appId, 'a');
  });

  it('names numeric settings that are not numbers', () => {
    const found = problems({ CUSTODIAN_LEASE_MS: '-5', CUSTODIAN_ACTIVITY_REPORT_DELAY_MINUTES: 'soon' });
    assert.ok(found.some((problem) => problem.includes('CUSTODIAN_LEASE_MS must be a positive whole number, got "-5"')));
    assert.ok(found.some((problem) => problem.includes('CUSTODIAN_ACTIVITY_REPORT_DELAY_MINUTES must be a whole number')));
  });
});
