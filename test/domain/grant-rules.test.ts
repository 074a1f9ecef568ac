import assert from 'node:assert/strict';
import { MANUAL_ACTION_REPEAT_MS } from '../../src/domain/backoff';
import {
  dueAction,
  expirePending,
  grantConfirmed,
  reminded,
  revokeConfirmed,
  revokeFailed,
  startRevocation,
  stepCompleted,
  type DueAction,
} from '../../src/domain/grant-rules';
import type { AccessRequest, RequestStatus } from '../../src/domain/types';
import { HOUR, MINUTE, T0, TIMES, deepFreeze, nextOf, requestIn, simplePack, strictPack } from '../support/requests';

const SECOND = 1000;

describe('grantConfirmed', () => {
  it('makes the grant last the requested duration, counted from confirmation', () => {
    const request = requestIn('granting', { valid: { durationMinutes: 30 } });
    const next = nextOf(grantConfirmed(request, T0 + HOUR));
    assert.equal(next.expiresAt, T0 + HOUR + 30 * MINUTE);
    assert.equal(next.dueAt, next.expiresAt);
  });
});

describe('startRevocation at expiry', () => {
  it('is allowed exactly at the expiry time', () => {
    const request = requestIn('active');
    assert.equal(startRevocation(request, request.expiresAt as number, 'expired').ok, true);
  });

  it('is allowed for a manual end before expiry', () => {
    assert.equal(startRevocation(requestIn('active'), TIMES.granted + MINUTE, 'manual').ok, true);
  });
});

describe('revokeFailed', () => {
  /** Fails the revocation once per entry of `at`, returning each step's result. */
  function failAt(times: number[]) {
    let request: AccessRequest = requestIn('revoking');
    return times.map((now) => {
      const result = revokeFailed(request, now, `failure at +${(now - T0) / MINUTE}m`);
      request = nextOf(result);
      return { request, raised: result.raiseManualAction };
    });
  }

  it('retries after 30 s, 1, 2, 4, 8 minutes, then every 15 minutes', () => {
    const start = TIMES.revokeStarted;
    const times = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => start + i * HOUR);
    const delays = failAt(times).map(({ request }, i) => ((request.dueAt as number) - times[i]) / SECOND);
    assert.deepEqual(delays, [30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('counts attempts and keeps the last error', () => {
    const [, second] = failAt([TIMES.revokeStarted, TIMES.revokeStarted + MINUTE]);
    assert.equal(second.request.revokeAttempts, 2);
    assert.equal(second.request.lastRevokeError, `failure at +${(TIMES.revokeStarted + MINUTE - T0) / MINUTE}m`);
    assert.equal(second.request.status, 'revoking');
  });

  it('asks for manual action at the third failure, not again within four hours, and again after', () => {
    const start = TIMES.revokeStarted;
    const times = [
      start,
      start + MINUTE,
      start + 2 * MINUTE,
      start + 3 * MINUTE,
      start + 2 * MINUTE + MANUAL_ACTION_REPEAT_MS - 1,
      start + 2 * MINUTE + MANUAL_ACTION_REPEAT_MS,
    ];
    const results = failAt(times);
    assert.deepEqual(
      results.map((result) => result.raised),
      [false, false, true, false, false, true],
    );
    assert.deepEqual(
      results.map((result) => result.request.manualActionRaisedAt),
      [undefined, undefined, times[2], times[2], times[2], times[5]],
    );
  });

  it('says in the audit details whether manual action was raised', () => {
    let request = requestIn('revoking');
    request = nextOf(revokeFailed(request, TIMES.revokeStarted, 'a'));
    request = nextOf(revokeFailed(request, TIMES.revokeStarted, 'b'));
    const third = revokeFailed(request, TIMES.revokeStarted, 'c');
    assert.deepEqual(third.ok && third.details, { error: 'c', attempts: 3, manualActionRaised: true });
  });
});

describe('revokeConfirmed', () => {
  it('clears the last error of earlier failed attempts and counts the successful one', () => {
    const failed = nextOf(revokeFailed(requestIn('revoking'), TIMES.revoked, 'timeout'));
    const next = nextOf(revokeConfirmed(failed, TIMES.revoked + MINUTE));
    assert.equal(next.lastRevokeError, undefined);
    assert.equal(next.revokeAttempts, 2);
    assert.equal(next.revokedAt, TIMES.revoked + MINUTE);
  });

  it('keeps the request due while an after-access notice is still to be sent', () => {
    const revoking = requestIn('revoking', { valid: { policy: simplePack({ afterAccessNotice: true }) } });
    const next = nextOf(revokeConfirmed(revoking, TIMES.revoked));
    assert.equal(next.status, 'revoked');
    assert.equal(next.dueAt, TIMES.revoked);
  });

  it('leaves a failed grant with nothing due, even with an after-access notice pending (no access was held)', () => {
    const request = requestIn('grant_failed', { valid: { policy: simplePack({ afterAccessNotice: true }) } });
    assert.equal(request.status, 'grant_failed');
    assert.equal(request.dueAt, null);
    assert.equal(request.grantError, 'Exchange said no');
  });
});

describe('expirePending', () => {
  it('expires exactly at the end of the pending TTL and later', () => {
    const request = requestIn('pending');
    assert.equal(nextOf(expirePending(request, request.pendingExpiresAt)).status, 'expired');
    assert.equal(nextOf(expirePending(request, request.pendingExpiresAt + HOUR)).status, 'expired');
  });
});

describe('reminded', () => {
  it('is refused for a pack without reminders', () => {
    const request = requestIn('pending', { valid: { policy: simplePack({ reminderBeforeMinutes: 0 }) } });
    assert.equal(reminded(request, request.pendingExpiresAt - 1).ok, false);
  });
});

describe('stepCompleted', () => {
  const revokedWithNotice = () => requestIn('revoked', { valid: { policy: simplePack({ afterAccessNotice: true }) } });

  it('marks a step done with time and note, keeping dueAt of a live request', () => {
    const request = deepFreeze(requestIn('pending', { valid: { policy: strictPack() } }));
    const result = stepCompleted(request, 'notify-hr', T0 + MINUTE, 'done', 'sent to hr@contoso.com');
    if (!result.ok) assert.fail(result.refusal.message);
    assert.deepEqual(result.next.steps[0], { ...request.steps[0], status: 'done', at: T0 + MINUTE, note: 'sent to hr@contoso.com' });
    assert.deepEqual(result.next.steps.slice(1), request.steps.slice(1));
    assert.equal(result.next.dueAt, request.dueAt);
    assert.equal(result.event, 'step.done');
    assert.deepEqual(result.details, { step: 'notify-hr', note: 'sent to hr@contoso.com' });
  });

  it('marks a step failed', () => {
    const result = stepCompleted(
      requestIn('pending', { valid: { policy: strictPack() } }),
      'notify-hr',
      T0,
      'failed',
      'no HR conversation registered',
    );
    assert.equal(result.ok && result.event, 'step.failed');
    assert.equal(result.ok && result.next.steps[0].status, 'failed');
  });

  it('ends the work on a revoked request once the last after-step is done', () => {
    const request = revokedWithNotice();
    assert.equal(request.dueAt, TIMES.revoked);
    const next = nextOf(stepCompleted(request, 'after-access-notice', TIMES.revoked + MINUTE, 'done'));
    assert.equal(next.dueAt, null);
  });

  it('ends the work on a revoked request when the after-step failed too (it is reported, not retried)', () => {
    const next = nextOf(stepCompleted(revokedWithNotice(), 'after-access-notice', TIMES.revoked + MINUTE, 'failed', 'mail refused'));
    assert.equal(next.dueAt, null);
  });

  it('refuses an unknown step', () => {
    const result = stepCompleted(requestIn('pending'), 'nope', T0, 'done');
    assert.equal(!result.ok && result.refusal.code, 'unknown-step');
  });
});

describe('dueAction', () => {
  const pending = requestIn('pending');
  const active = requestIn('active');
  const cases: [string, AccessRequest, number, DueAction][] = [
    ['pending before the reminder', pending, (pending.reminderAt as number) - 1, 'nothing'],
    ['pending at the reminder', pending, pending.reminderAt as number, 'remind'],
    ['pending after the reminder was sent', { ...pending, remindedAt: pending.reminderAt }, (pending.reminderAt as number) + 1, 'nothing'],
    ['pending at the end of the TTL', pending, pending.pendingExpiresAt, 'expire'],
    ['pending past the TTL, never reminded', pending, pending.pendingExpiresAt + HOUR, 'expire'],
    ['pending without reminder, before the TTL', { ...pending, reminderAt: undefined }, pending.pendingExpiresAt - 1, 'nothing'],
    ['granting', requestIn('granting'), T0, 'grant'],
    ['active before expiry', active, (active.expiresAt as number) - 1, 'nothing'],
    ['active at expiry', active, active.expiresAt as number, 'revoke-expired'],
    ['revoking', requestIn('revoking'), T0, 'revoke'],
    [
      'revoked with an after-access notice to send',
      requestIn('revoked', { valid: { policy: simplePack({ afterAccessNotice: true }) } }),
      T0,
      'after-steps',
    ],
    ['revoked with nothing left', requestIn('revoked'), T0, 'nothing'],
  ];
  for (const [what, request, now, action] of cases) {
    it(`${action} for a request ${what}`, () => {
      assert.equal(dueAction(request, now), action);
    });
  }

  for (const status of ['rejected', 'cancelled', 'expired', 'grant_failed'] as RequestStatus[]) {
    it(`nothing for a ${status} request`, () => {
      assert.equal(dueAction(requestIn(status), T0 + 100 * HOUR), 'nothing');
    });
  }
});
