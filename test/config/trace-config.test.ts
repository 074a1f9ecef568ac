import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/app-config';
import { readTraceConfig } from '../../src/config/trace-config';

describe('trace settings', () => {
  it('defaults to every 30 minutes, a 24-hour allowance for late records, and every mailbox watched', () => {
    const { config, problems } = readTraceConfig({});
    assert.deepEqual(problems, []);
    assert.equal(config.cron, '*/30 * * * *');
    assert.equal(config.lateMs, 24 * 3_600_000);
    assert.equal(config.attempts, 3);
    assert.equal(config.retryDelayMs, 20_000);
    assert.deepEqual(config.accessWatch, { kind: 'all' });
  });

  it('reads "off", a jurisdiction and a list of mailboxes', () => {
    assert.equal(readTraceConfig({ CUSTODIAN_TRACE_CRON: 'off' }).config.cron, null);
    assert.deepEqual(readTraceConfig({ CUSTODIAN_TRACE_ACCESS_MAILBOXES: 'jurisdiction:no' }).config.accessWatch, {
      kind: 'jurisdiction',
      code: 'NO',
    });
    assert.deepEqual(readTraceConfig({ CUSTODIAN_TRACE_ACCESS_MAILBOXES: 'Alex@contoso.com, nestor@contoso.com' }).config.accessWatch, {
      kind: 'list',
      mailboxes: ['alex@contoso.com', 'nestor@contoso.com'],
    });
  });

  it('names every bad setting, and a bad one stops the start', () => {
    const { problems } = readTraceConfig({
      CUSTODIAN_TRACE_CRON: 'every now and then',
      CUSTODIAN_TRACE_LATE_HOURS: '0',
      CUSTODIAN_TRACE_ACCESS_MAILBOXES: 'alex@contoso.com,bob',
    });
    assert.equal(problems.length, 3);
    assert.match(problems[0], /CUSTODIAN_TRACE_CRON: must be a cron expression .* got "every now and then"/);
    assert.match(problems[1], /CUSTODIAN_TRACE_LATE_HOURS: must be a whole number from 1 to 168, got "0"/);
    assert.match(problems[2], /not an address: "bob"/);
    assert.throws(
      () => loadConfig({ CUSTODIAN_TRACE_ATTEMPTS: 'many' }),
      /CUSTODIAN_TRACE_ATTEMPTS: must be a whole number from 1 to 10, got "many"/,
    );
  });
});
