import assert from 'node:assert/strict';
import {
  approveExtension,
  canDecideExtension,
  lapsePendingExtension,
  pendingExtension,
  rejectExtension,
  requestExtension,
  totalGrantMinutes,
} from '../../src/domain/extension';
import { startRevocation } from '../../src/domain/grant-rules';
import type { ExtensionPolicy } from '../../src/domain/policy';
import type { AccessRequest } from '../../src/domain/types';
import { MINUTE, actor, deepFreeze, nextOf, people, requestIn } from '../support/requests';

const ALLOWED: ExtensionPolicy = { allowed: true, maxTotalMinutes: 8 * 60 };
const security = actor(people.security, 'security');
const hr = actor(people.hr, 'hr');

function active(): AccessRequest {
  return deepFreeze(requestIn('active'));
}

function asked(request = active(), minutes = 60, policy = ALLOWED): AccessRequest {
  return nextOf(
    requestExtension(request, people.requester, request.grantedAt! + MINUTE, { minutes, reason: 'export running' }, policy, 'TS'),
  );
}

function refusalOf(result: ReturnType<typeof requestExtension>) {
  assert.equal(result.ok, false);
  return result.ok ? undefined : result.refusal;
}

describe('grant extensions (domain)', () => {
  it('records a pending extension with the request approvals by default, or the pack own', () => {
    const request = active();
    const waiting = asked(request);
    const extension = pendingExtension(waiting)!;
    assert.equal(extension.minutes, 60);
    assert.equal(extension.fromExpiresAt, request.expiresAt);
    assert.deepEqual(extension.requiredApprovals, request.requiredApprovals);
    assert.equal(waiting.expiresAt, request.expiresAt, 'asking changes nothing yet');
    assert.equal(waiting.dueAt, request.dueAt);
    const own = pendingExtension(asked(request, 60, { ...ALLOWED, approvals: [{ role: 'security', count: 1 }] }))!;
    assert.deepEqual(own.requiredApprovals, [{ role: 'security', count: 1 }]);
  });

  it('refuses when disallowed, over the total, after expiry, twice at once, or asked by someone else', () => {
    const request = active();
    const at = request.grantedAt! + MINUTE;
    const ask = { minutes: 60, reason: 'why' };
    assert.equal(
      refusalOf(requestExtension(request, people.requester, at, ask, { allowed: false, maxTotalMinutes: 600 }, 'TS'))?.message,
      'The TS pack does not allow extensions; submit a new request instead.',
    );
    assert.equal(request.durationMinutes, 240);
    assert.equal(
      refusalOf(requestExtension(request, people.requester, at, { ...ask, minutes: 300 }, ALLOWED, 'TS'))?.message,
      `5h more would make ${request.id} last 9h in total; the longest TS allows is 8h (at most 4h more).`,
    );
    assert.equal(refusalOf(requestExtension(request, people.requester, request.expiresAt!, ask, ALLOWED, 'TS'))?.code, 'not-active');
    assert.equal(refusalOf(requestExtension(request, people.security, at, ask, ALLOWED, 'TS'))?.code, 'not-requester');
    assert.equal(refusalOf(requestExtension(asked(request), people.requester, at, ask, ALLOWED, 'TS'))?.code, 'extension-refused');
    assert.equal(
      refusalOf(requestExtension(request, people.requester, at, { ...ask, reason: ' ' }, ALLOWED, 'TS'))?.code,
      'extension-refused',
    );
    assert.equal(refusalOf(requestExtension(requestIn('pending'), people.requester, at, ask, ALLOWED, 'TS'))?.code, 'not-active');
  });

  it('moves the expiry and the due time only when the last required approval lands', () => {
    const waiting = asked();
    const now = waiting.grantedAt! + 2 * MINUTE;
    const first = approveExtension(waiting, security, now, 'fine');
    assert.equal(first.ok && first.event, 'extension.approval-recorded');
    assert.equal(nextOf(first).expiresAt, waiting.expiresAt);
    assert.equal(canDecideExtension(nextOf(first), security), false, 'one person approves once');
    assert.equal(canDecideExtension(nextOf(first), hr), true);
    const second = approveExtension(nextOf(first), hr, now + MINUTE);
    assert.equal(second.ok && second.event, 'extension.approved');
    const done = nextOf(second);
    assert.equal(done.expiresAt, waiting.expiresAt! + 60 * MINUTE);
    assert.equal(done.dueAt, done.expiresAt);
    assert.equal(totalGrantMinutes(done), 300);
    assert.equal(pendingExtension(done), undefined);
    assert.equal(done.extensions?.[0]?.status, 'approved');
  });

  it('never lets the requester or the mailbox owner decide, even holding the role', () => {
    const waiting = asked();
    const now = waiting.grantedAt! + 2 * MINUTE;
    for (const who of [people.requester, people.owner]) {
      const result = approveExtension(waiting, actor(who, 'security', 'hr'), now);
      assert.equal(!result.ok && result.refusal.code, 'separation-of-duties');
      const rejection = rejectExtension(waiting, actor(who, 'security', 'hr'), now);
      assert.equal(!rejection.ok && rejection.refusal.code, 'separation-of-duties');
      assert.equal(canDecideExtension(waiting, actor(who, 'security')), false);
    }
    const outsider = approveExtension(waiting, actor(people.outsider, 'dpo'), now);
    assert.equal(!outsider.ok && outsider.refusal.code, 'not-approver');
  });

  it('a rejection, or the grant ending first, changes nothing but the extension', () => {
    const waiting = asked();
    const rejected = nextOf(rejectExtension(waiting, security, waiting.grantedAt! + 2 * MINUTE, 'no'));
    assert.equal(rejected.expiresAt, waiting.expiresAt);
    assert.equal(rejected.extensions?.[0]?.status, 'rejected');
    assert.equal(rejected.extensions?.[0]?.decision?.comment, 'no');

    const ended = startRevocation(waiting, waiting.expiresAt!, 'expired');
    assert.equal(ended.ok && ended.details?.extensionLapsed, true);
    assert.equal(nextOf(ended).extensions?.[0]?.status, 'lapsed');
    const late = approveExtension(nextOf(ended), security, waiting.expiresAt!);
    assert.equal(!late.ok && late.refusal.code, 'not-pending');
    const atExpiry = approveExtension(waiting, security, waiting.expiresAt!);
    assert.equal(!atExpiry.ok && atExpiry.refusal.code, 'not-pending', 'no decision at or after the expiry');
    assert.equal(lapsePendingExtension(active()).extensions, undefined);
  });
});
