import assert from 'node:assert/strict';
import { fileDurationMinutes } from '../../../src/config/policies/file-duration';

describe('durations in the policy file', () => {
  it('reads minutes, hours, days and combinations', () => {
    assert.equal(fileDurationMinutes('30m', false), 30);
    assert.equal(fileDurationMinutes('8h', false), 480);
    assert.equal(fileDurationMinutes('2d', false), 2880);
    assert.equal(fileDurationMinutes('1h30m', false), 90);
    assert.equal(fileDurationMinutes('1d 12h', false), 2160);
  });

  it('refuses a number without a unit, so that 30 is never guessed', () => {
    assert.equal(fileDurationMinutes('30', false), null);
    assert.equal(fileDurationMinutes('30', true), null);
  });

  it('refuses text that is not a duration', () => {
    for (const text of ['', 'h', '8 parsecs', '8h and more', '-1h', '1.5h']) {
      assert.equal(fileDurationMinutes(text, false), null, text);
    }
  });

  it('reads zero only where zero is allowed', () => {
    assert.equal(fileDurationMinutes('0m', false), null);
    assert.equal(fileDurationMinutes('0m', true), 0);
    assert.equal(fileDurationMinutes('0', true), 0);
    assert.equal(fileDurationMinutes('0h', true), 0);
  });
});
