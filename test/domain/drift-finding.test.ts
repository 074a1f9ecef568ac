import assert from 'node:assert/strict';
import { MANUAL_ACTION_AFTER_ATTEMPTS, MANUAL_ACTION_REPEAT_MS, revokeRetryDelayMs } from '../../src/domain/backoff';
import {
  allowFinding,
  claimRemoval,
  newFinding,
  removalConfirmed,
  removalFailed,
  seenAgain,
  startRemoval,
  vanished,
  type DriftFinding,
} from '../../src/domain/drift-finding';
import { sweepSummary, type DriftSweep } from '../../src/domain/drift-sweep';
import type { RecordChange } from '../../src/domain/review-record';
import { people } from '../support/requests';

const T = Date.UTC(2026, 10, 27, 3, 0);
const MINUTE = 60_000;

function ok(change: RecordChange<DriftFinding>): DriftFinding {
  if (!change.ok) throw new Error(`refused: ${change.refusal.message}`);
  return change.next;
}

function open(): DriftFinding {
  return newFinding(
    'DRF-000000000001',
    'isaiah@contoso.com|johanna@contoso.com|FullAccess|',
    { mailbox: 'isaiah@contoso.com', grantee: 'johanna@contoso.com', kind: 'FullAccess' },
    'SWP-1',
    T,
  );
}

describe('drift finding: removal follows the revocation rules', () => {
  it('stores the intent with a lease before Exchange is called, and is removed only on confirmation', () => {
    const removing = ok(startRemoval(open(), people.security, T, 'instance-a', T + 2 * MINUTE));
    assert.equal(removing.status, 'removing');
    assert.deepEqual(removing.removal, {
      requestedBy: people.security,
      requestedAt: T,
      attempts: 0,
      dueAt: T,
      leaseOwner: 'instance-a',
      leaseUntil: T + 2 * MINUTE,
    });
    const removed = ok(removalConfirmed(removing, T + 1000));
    assert.equal(removed.status, 'removed');
    assert.equal(removed.removal?.removedAt, T + 1000);
    assert.equal(removed.removal?.dueAt, null);
    assert.equal(removed.removal?.attempts, 1);
    assert.equal(removed.removal?.leaseOwner, undefined, 'the lease is freed');
  });

  it('retries with the revocation backoff forever, asks for manual action after the same number of failures, and again every 4 hours', () => {
    let finding = ok(startRemoval(open(), people.security, T, 'a', T + MINUTE));
    let now = T;
    const raisedAt: number[] = [];
    for (let attempt = 1; attempt <= 40; attempt++) {
      const change = removalFailed(finding, now, 'Exchange refused (HTTP 500)');
      finding = ok(change);
      assert.equal(finding.status, 'removing', 'a failure never gives up');
      assert.equal(finding.removal?.attempts, attempt);
      assert.equal(finding.removal?.dueAt, now + revokeRetryDelayMs(attempt));
      if ('raiseManualAction' in change && change.raiseManualAction) raisedAt.push(now);
      now = finding.removal!.dueAt!;
    }
    assert.equal(
      raisedAt[0] - T,
      Array.from({ length: MANUAL_ACTION_AFTER_ATTEMPTS - 1 }, (_, i) => revokeRetryDelayMs(i + 1)).reduce((sum, delay) => sum + delay, 0),
      `raised at attempt ${MANUAL_ACTION_AFTER_ATTEMPTS}`,
    );
    for (let i = 1; i < raisedAt.length; i++)
      assert.ok(raisedAt[i] - raisedAt[i - 1] >= MANUAL_ACTION_REPEAT_MS, 'repeated no more often than every 4 hours');
    assert.ok(raisedAt.length >= 2);
  });

  it('is claimed by one instance when due and its lease is free', () => {
    const failed = ok(removalFailed(ok(startRemoval(open(), people.security, T, 'a', T + MINUTE)), T, 'timeout'));
    const due = failed.removal!.dueAt!;
    assert.ok(!claimRemoval(failed, due - 1, 'b', due + MINUTE).ok, 'not before it is due');
    const claimed = ok(claimRemoval(failed, due, 'b', due + MINUTE));
    assert.equal(claimed.removal?.leaseOwner, 'b');
    assert.ok(!claimRemoval(claimed, due + 1, 'c', due + MINUTE).ok, 'another instance waits for the lease');
  });

  it('refuses to remove what is not open, saying why', () => {
    const removing = ok(startRemoval(open(), people.security, T, 'a', T + MINUTE));
    const again = startRemoval(removing, people.security2, T + 1, 'a', T + MINUTE);
    assert.ok(!again.ok);
    assert.match(again.refusal.message, /being removed \(asked by Sam Security\)/);
  });
});

describe('drift finding: allow, seen again, gone', () => {
  it('allows only with a reason, and an allowed finding is never reported again', () => {
    const noReason = allowFinding(open(), people.security, T, '  ');
    assert.ok(!noReason.ok && noReason.refusal.code === 'reason-required');
    const allowed = ok(allowFinding(open(), people.security, T, ' Delegate of the shared mailbox '));
    assert.deepEqual(allowed.allowed, { by: people.security, at: T, reason: 'Delegate of the shared mailbox' });
    assert.ok(!seenAgain(allowed, 'SWP-2', T + 1).ok);
    assert.ok(!allowFinding(allowed, people.security2, T + 1, 'again').ok);
  });

  it('an open finding seen again stays one finding; a removed one that came back is reported again', () => {
    const seen = seenAgain(open(), 'SWP-2', T + MINUTE);
    assert.ok(seen.ok && seen.event === 'drift.finding.seen' && seen.next.lastSweepId === 'SWP-2' && seen.next.reported === 1);
    const removed = ok(removalConfirmed(ok(startRemoval(open(), people.security, T, 'a', T + MINUTE)), T + 1));
    const back = seenAgain(removed, 'SWP-3', T + 2 * MINUTE);
    assert.ok(back.ok);
    assert.equal(back.event, 'drift.finding.reappeared');
    assert.equal(back.next.status, 'open');
    assert.equal(back.next.reported, 2);
    assert.equal(back.next.removal, undefined);
  });

  it('an open finding whose permission is gone is closed', () => {
    const gone = ok(vanished(open(), 'SWP-2', T + MINUTE));
    assert.equal(gone.status, 'gone');
    assert.equal(gone.resolvedAt, T + MINUTE);
  });
});

describe('drift sweep summary', () => {
  const base: DriftSweep = {
    id: 'SWP-1',
    trigger: 'schedule',
    scope: 'all',
    status: 'finished',
    startedAt: T,
    instance: 'a',
    inScope: 12,
    read: 12,
    unread: [],
    unreadCount: 0,
    findings: { new: 0, reappeared: 0, stillOpen: 0, gone: 0, allowed: 2, explained: 1 },
  };

  it('says "no findings" only for the mailboxes it read', () => {
    assert.match(sweepSummary(base), /read 12 of 12 mailbox\(es\).*No findings in the 12 mailbox\(es\) read/s);
    const partial = sweepSummary({
      ...base,
      status: 'partial',
      read: 10,
      unreadCount: 2,
      unread: [
        { mailbox: 'a@contoso.com', error: 'HTTP 500' },
        { mailbox: 'b@contoso.com', error: 'timeout' },
      ],
    });
    assert.match(partial, /read 10 of 12/);
    assert.match(partial, /No findings in the 10 mailbox\(es\) read/);
    assert.match(
      partial,
      /NOT READ: 2 mailbox\(es\) could not be read, so nothing is known about them: a@contoso.com \(HTTP 500\); b@contoso.com \(timeout\)/,
    );
  });

  it('counts new and still-open findings, and says when the sweep could not run at all', () => {
    assert.match(
      sweepSummary({ ...base, findings: { ...base.findings, new: 2, reappeared: 1, stillOpen: 3 } }),
      /3 new finding\(s\) \(1 came back after removal\) and 3 still open/,
    );
    const failed = sweepSummary({
      ...base,
      status: 'failed',
      read: 0,
      inScope: 0,
      failure: 'the mailbox list could not be read from Exchange (HTTP 503)',
    });
    assert.match(failed, /could not run: the mailbox list could not be read.*No mailbox was checked/s);
    assert.doesNotMatch(failed, /No findings/);
    const broken = sweepSummary({ ...base, status: 'failed', read: 5, failure: 'the store is unavailable' });
    assert.match(broken, /stopped with an error after reading 5 of 12 mailbox\(es\): the store is unavailable/);
    assert.doesNotMatch(broken, /No findings/);
  });
});
