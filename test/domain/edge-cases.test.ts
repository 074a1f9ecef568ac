import assert from 'node:assert/strict';
import { parseAccessLevel } from '../../src/domain/access-level';
import { approve, attest } from '../../src/domain/approval-rules';
import { parseDurationMinutes } from '../../src/domain/duration';
import { actor, nextOf, people, requestIn, strictPack } from '../support/requests';

describe('domain edge cases', () => {
  it('an access level named like an Object property is unknown, not a function', () => {
    for (const word of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.equal(parseAccessLevel(word), null, word);
  });

  it('a bare 0 is not a duration, like 0m', () => {
    assert.equal(parseDurationMinutes('0'), null);
    assert.equal(parseDurationMinutes('0m'), null);
  });

  it('no approval once the decision deadline has passed, even before the scheduler marked it expired', () => {
    const first = nextOf(approve(requestIn('pending'), actor(people.security, 'security'), 0));
    const late = approve(first, actor(people.hr, 'hr'), first.pendingExpiresAt);
    assert.equal(late.ok, false);
    assert.equal(!late.ok && late.refusal.code, 'not-pending');
    assert.match(!late.ok ? late.refusal.message : '', /expired undecided/);
  });

  it('no attestation once the decision deadline has passed', () => {
    const pending = requestIn('pending', { valid: { policy: strictPack() } });
    const step = pending.steps.find((candidate) => candidate.kind === 'attest')!;
    const late = attest(pending, step.id, actor(people.hr, 'hr'), pending.pendingExpiresAt, 'done');
    assert.equal(late.ok, false);
  });
});
