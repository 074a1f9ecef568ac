import assert from 'node:assert/strict';
import { type HealthCheck, redactSecrets, runHealth } from '../../src/http/health';
import { ManualClock } from '../../src/shared/clock';

const pass = (name: string): HealthCheck => ({ name, check: async () => undefined });
const fail = (name: string, error: unknown): HealthCheck => ({
  name,
  check: async () => {
    throw error;
  },
});

describe('http/health runHealth', () => {
  it('is ok with no checks (liveness: the process answered)', async () => {
    assert.deepEqual(await runHealth([], 1000), { status: 'ok', checks: [] });
  });

  it('is ok when every check passes, keeping the order of the checks', async () => {
    const report = await runHealth([pass('store'), pass('tokens'), pass('scheduler')], 1000);
    assert.equal(report.status, 'ok');
    assert.deepEqual(
      report.checks.map((c) => [c.name, c.ok, c.error]),
      [
        ['store', true, undefined],
        ['tokens', true, undefined],
        ['scheduler', true, undefined],
      ],
    );
  });

  it('fails when one check fails and reports its message', async () => {
    const report = await runHealth([pass('store'), fail('tokens', new Error('token endpoint returned 503'))], 1000);
    assert.equal(report.status, 'fail');
    assert.deepEqual(report.checks[1], { name: 'tokens', ok: false, error: 'token endpoint returned 503', ms: report.checks[1]!.ms });
    assert.equal(report.checks[0]!.ok, true);
  });

  it('bounds each check by the timeout and reports it', async () => {
    const never: HealthCheck = { name: 'scheduler', check: () => new Promise<void>(() => undefined) };
    const started = Date.now();
    const report = await runHealth([never, pass('store')], 30);
    assert.ok(Date.now() - started < 5000, 'runHealth waited far longer than its timeout');
    assert.equal(report.status, 'fail');
    assert.deepEqual(
      report.checks.map((c) => [c.name, c.ok, c.error]),
      [
        ['scheduler', false, 'timed out after 30 ms'],
        ['store', true, undefined],
      ],
    );
  });

  it('runs the checks in parallel, so slow checks do not add up', async () => {
    // Each check waits until all four have started: only concurrent runs get past it.
    let started = 0;
    let releaseAll!: () => void;
    const allStarted = new Promise<void>((resolve) => (releaseAll = resolve));
    const gated = (name: string): HealthCheck => ({
      name,
      check: async () => {
        started += 1;
        if (started === 4) releaseAll();
        await allStarted;
      },
    });
    const report = await runHealth([gated('a'), gated('b'), gated('c'), gated('d')], 2000);
    assert.equal(report.status, 'ok', JSON.stringify(report.checks));
    assert.equal(started, 4);
  });

  it('measures each check with the injected clock', async () => {
    const clock = new ManualClock(1_000);
    const timed: HealthCheck = {
      name: 'store',
      check: async () => {
        clock.advance(250);
      },
    };
    const report = await runHealth([timed], 1000, clock);
    assert.equal(report.checks[0]!.ms, 250);
  });

  it('catches a check that throws synchronously', async () => {
    const sync: HealthCheck = {
      name: 'broken',
      check: () => {
        throw new Error('not wired');
      },
    };
    const report = await runHealth([sync], 1000);
    assert.deepEqual(
      report.checks.map((c) => [c.ok, c.error]),
      [[false, 'not wired']],
    );
  });

  it('gives a generic message for a failure without one', async () => {
    const report = await runHealth([fail('a', undefined), fail('b', { code: 7 }), fail('c', new Error(''))], 1000);
    assert.deepEqual(
      report.checks.map((c) => c.error),
      ['check failed', 'check failed', 'check failed'],
    );
  });

  it('never reports credentials found in an error message', async () => {
    const secretError = new Error(
      'connect failed mongodb+srv://custodian:S3cr3t!pw@cluster.example.net/db?tls=true; ' +
        'Authorization: Bearer abc.def.ghi client_secret=Qk9~xyz password="p a s s" AccountKey=Zm9vYmFy;',
    );
    const report = await runHealth([fail('store', secretError)], 1000);
    const message = report.checks[0]!.error!;
    for (const secret of ['S3cr3t', 'abc.def.ghi', 'Qk9~xyz', 'p a s s', 'Zm9vYmFy', 'custodian:']) {
      assert.ok(!message.includes(secret), `"${secret}" leaked in: ${message}`);
    }
    assert.match(message, /mongodb\+srv:\/\/\[redacted\]@cluster\.example\.net/);
  });

  it('shortens very long messages', async () => {
    const report = await runHealth([fail('x', new Error('y'.repeat(1000)))], 1000);
    assert.equal(report.checks[0]!.error!.length, 200);
    assert.ok(report.checks[0]!.error!.endsWith('...'));
  });

  it('refuses a nonsensical timeout', async () => {
    await assert.rejects(() => runHealth([pass('a')], 0), /timeoutMs must be a positive number/);
    await assert.rejects(() => runHealth([pass('a')], Number.NaN), /timeoutMs must be a positive number/);
  });
});

describe('http/health redactSecrets', () => {
  it('removes JWTs and leaves ordinary text alone', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';
    assert.equal(redactSecrets(`token rejected: ${jwt}`), 'token rejected: [redacted]');
    assert.equal(redactSecrets('store unreachable after 3 attempts'), 'store unreachable after 3 attempts');
  });
});
