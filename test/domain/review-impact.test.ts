import assert from 'node:assert/strict';
import { grantFailed } from '../../src/domain/grant-rules';
import { highImpactReasons, isStrict } from '../../src/domain/review-impact';
import { carryItem, decideItem, grantSummary, reviewIdFor, type ReviewItem } from '../../src/domain/review-record';
import { TIMES, nextOf, people, requestIn, simplePack, strictPack } from '../support/requests';

/** A pack with one approving role and no legal bases: ordinary. */
const plainPack = simplePack({ approvals: [{ role: 'security', count: 1 }] });

/** A request in the given status as if approved under plainPack (the fixtures approve with two roles). */
function ordinary(status: 'active' | 'revoked' | 'granting', access: 'FullAccess' | 'ReadFolder' = 'ReadFolder') {
  const request = requestIn(status, { valid: access === 'ReadFolder' ? { access, folder: 'Inbox' } : { access } });
  return { ...request, requiredApprovals: [{ role: 'security', count: 1 }] };
}

describe('review: high-impact grants', () => {
  it('an ordinary read-only grant under a plain pack is not high impact', () => {
    assert.deepEqual(highImpactReasons(ordinary('revoked'), plainPack), []);
  });

  it('marks FullAccess', () => {
    assert.deepEqual(highImpactReasons(ordinary('active', 'FullAccess'), plainPack), ['full-access']);
  });

  it('marks strict jurisdictions: legal bases or more than one approving role', () => {
    const strict = strictPack();
    assert.ok(isStrict(ordinary('revoked'), strict), 'the pack asks for a legal basis');
    assert.ok(highImpactReasons(ordinary('revoked'), strict).includes('strict-jurisdiction'));
    assert.ok(isStrict({ ...ordinary('revoked'), legalBasis: 'operations' }, undefined), 'a legal basis on the request');
    // Two roles (security and HR) make simplePack strict even without legal bases.
    assert.ok(
      highImpactReasons(requestIn('revoked', { valid: { access: 'ReadFolder', folder: 'Inbox' } }), simplePack()).includes(
        'strict-jurisdiction',
      ),
    );
    // The request's own copy counts when the pack is gone or changed since.
    assert.ok(isStrict(requestIn('revoked'), undefined));
  });

  it('marks conflicts of interest, failures and manual action', () => {
    const base = ordinary('revoked');
    assert.deepEqual(
      highImpactReasons({ ...base, flags: { conflictOfInterest: 'The mailbox owner is the requester’s manager.' } }, plainPack),
      ['conflict-of-interest'],
    );
    assert.deepEqual(highImpactReasons({ ...base, revokeReason: 'manual' }, plainPack), ['manual-action']);
    assert.deepEqual(highImpactReasons({ ...base, revokeAttempts: 4, manualActionRaisedAt: TIMES.revoked }, plainPack), [
      'ended-by-failure',
      'manual-action',
    ]);
    const failed = nextOf(grantFailed(ordinary('granting'), TIMES.granted, 'Exchange said no'));
    assert.ok(highImpactReasons(failed, plainPack).includes('ended-by-failure'));
  });
});

describe('review: items and verdicts', () => {
  const item: ReviewItem = {
    requestId: 'CUS-2026-0001',
    reviewId: 'REV-20261123-0800',
    firstReviewId: 'REV-20261123-0800',
    reasons: ['sample'],
    summary: 'x',
    markedAt: TIMES.granted,
    carried: 0,
  };

  it('records "fine" with or without a comment, and refuses a second verdict naming the first', () => {
    const fine = decideItem(item, 'fine', people.security, TIMES.decided);
    assert.ok(fine.ok);
    assert.equal(fine.event, 'review.item.fine');
    assert.deepEqual(fine.next.outcome, { status: 'fine', by: people.security, at: TIMES.decided });
    const again = decideItem(fine.next, 'escalated', people.security2, TIMES.decided + 1, 'looks wrong');
    assert.ok(!again.ok);
    assert.equal(again.refusal.code, 'already-decided');
    assert.match(again.refusal.message, /already reviewed \(fine\) by Sam Security/);
  });

  it('requires a comment to escalate', () => {
    const bare = decideItem(item, 'escalated', people.security, TIMES.decided, '   ');
    assert.ok(!bare.ok);
    assert.equal(bare.refusal.code, 'comment-required');
    const escalated = decideItem(item, 'escalated', people.security, TIMES.decided, ' Ticket does not match the mailbox ');
    assert.ok(escalated.ok);
    assert.equal(escalated.next.outcome?.comment, 'Ticket does not match the mailbox');
    assert.equal(escalated.event, 'review.item.escalated');
  });

  it('carries an unreviewed item into the next review and counts it; a reviewed one stays', () => {
    const carried = carryItem(item, 'REV-20261130-0800');
    assert.ok(carried.ok);
    assert.equal(carried.next.reviewId, 'REV-20261130-0800');
    assert.equal(carried.next.firstReviewId, 'REV-20261123-0800');
    assert.equal(carried.next.carried, 1);
    const twice = carryItem(carried.next, 'REV-20261207-0800');
    assert.ok(twice.ok && twice.next.carried === 2);
    const reviewed = decideItem(item, 'fine', people.security, TIMES.decided);
    assert.ok(reviewed.ok && !carryItem(reviewed.next, 'REV-20261130-0800').ok);
  });

  it('names reviews after their firing and summarises a grant on one line', () => {
    assert.equal(reviewIdFor(Date.UTC(2026, 10, 23, 8, 0)), 'REV-20261123-0800');
    const line = grantSummary(requestIn('revoked'));
    for (const part of ['CUS-2025-0042', 'FullAccess', 'Rita Requester', 'alice@contoso.com', 'INC-1234', 'revoked (released)'])
      assert.ok(line.includes(part), `${part} missing from "${line}"`);
  });
});
