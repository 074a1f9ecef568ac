import assert from 'node:assert/strict';
import { MANUAL_ACTION_AFTER_ATTEMPTS, MANUAL_ACTION_REPEAT_MS, revokeRetryDelayMs } from '../../src/domain/backoff';

describe('revocation backoff', () => {
  const seconds = (attempts: number) => revokeRetryDelayMs(attempts) / 1000;

  it('waits 30 s after the first failure and doubles after each further one', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(seconds), [30, 60, 120, 240, 480]);
  });

  it('never waits longer than 15 minutes', () => {
    assert.equal(seconds(6), 900);
    assert.equal(seconds(7), 900);
    assert.equal(seconds(100), 900);
  });

  it('treats zero or negative attempt counts like the first attempt', () => {
    assert.equal(seconds(0), 30);
    assert.equal(seconds(-3), 30);
  });

  it('honours a custom base and cap', () => {
    assert.equal(revokeRetryDelayMs(3, 1000, 60_000), 4000);
    assert.equal(revokeRetryDelayMs(10, 1000, 60_000), 60_000);
  });

  it('asks for manual action after three failures and repeats it every four hours', () => {
    assert.equal(MANUAL_ACTION_AFTER_ATTEMPTS, 3);
    assert.equal(MANUAL_ACTION_REPEAT_MS, 4 * 60 * 60 * 1000);
  });
});
