import assert from 'node:assert/strict';
import { FIELD_LIMITS } from '../../src/domain/field-limits';
import type { DriftFinding } from '../../src/domain/drift-finding';
import type { AccessRequest, Person } from '../../src/domain/types';
import { CardFactory } from '../../src/teams/card-factory';
import { TeamsFindingCards } from '../../src/teams/cards/finding-cards';
import { ITEMS_SHOWN, LINES_SHOWN } from '../../src/teams/cards/review-view';
import { TeamsReviewCards, type SecurityCardPoster } from '../../src/teams/cards/review-cards';
import type { CardJson } from '../../src/teams/cards/render-template';
import { NO_RIGHTS } from '../../src/app/requests/viewer-rights';
import { assertValidCard } from './cards/card-checks';
import { ALL_STATUSES, CARDS_DIR, T0, policySet, requestIn, simplePack, strictPack } from '../support/requests';

/** Teams refuses a message larger than about 28 KB; the card must fit with room for the activity around it. */
const CARD_BUDGET_BYTES = 26_000;

// The worst characters for size: a backslash is escaped for Markdown (\\) and
// again for JSON (\\\\), four bytes for one character typed.
const worst = (length: number) => '\\'.repeat(length);

function bytes(card: CardJson): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

const name: Person = { aadObjectId: 'a'.repeat(36), name: worst(FIELD_LIMITS.displayName), upn: `${'u'.repeat(64)}@contoso.com` };

function largestRequest(status: (typeof ALL_STATUSES)[number]): AccessRequest {
  const base = requestIn(status, status === 'pending' ? { valid: { policy: strictPack(), legalBasis: 'operations' } } : {});
  return {
    ...base,
    requester: name,
    ticket: worst(FIELD_LIMITS.ticket),
    folder: worst(FIELD_LIMITS.folder),
    mailbox: { ...base.mailbox, upn: `${'m'.repeat(64)}@${'d'.repeat(180)}.com`, displayName: worst(FIELD_LIMITS.displayName) },
    justification: worst(FIELD_LIMITS.justification),
    noticeWithheldReason: worst(FIELD_LIMITS.reason),
    approvals: Array.from({ length: 4 }, (_, index) => ({
      approver: name,
      role: `role-${index}`,
      at: T0,
      comment: worst(FIELD_LIMITS.comment),
    })),
    decision: { by: name, at: T0, comment: worst(FIELD_LIMITS.comment) },
    steps: base.steps.map((step) => ({ ...step, by: name, at: T0, note: worst(FIELD_LIMITS.note) })),
    flags: { ...base.flags, conflictOfInterest: worst(200), mailboxAuditDisabled: true, advanceNoticeWithheld: true },
    grantError: worst(500),
    lastRevokeError: worst(500),
    revokeAttempts: 9,
    // Many extensions, the last one still waiting with two approvals in: the card shows the latest few.
    extensions: Array.from({ length: 12 }, (_, index) => ({
      minutes: 15,
      reason: worst(FIELD_LIMITS.reason),
      requestedBy: name,
      requestedAt: T0,
      fromExpiresAt: T0,
      requiredApprovals: [
        { role: worst(40), count: 3 },
        { role: worst(40), count: 3 },
      ],
      approvals: Array.from({ length: 2 }, () => ({ approver: name, role: worst(40), at: T0, comment: worst(FIELD_LIMITS.comment) })),
      status: index === 11 ? ('pending' as const) : ('approved' as const),
      decision: { by: name, at: T0, comment: worst(FIELD_LIMITS.comment) },
    })),
  };
}

describe('every card fits Teams’ message size limit with every field at its maximum', () => {
  const cards = new CardFactory(CARDS_DIR, policySet([simplePack(), strictPack()]));
  const sizes: Record<string, number> = {};
  after(() => console.log(`      largest serialized cards (bytes): ${JSON.stringify(sizes)}`));
  const fits = (kind: string, card: CardJson) => {
    assertValidCard(card);
    sizes[kind] = Math.max(sizes[kind] ?? 0, bytes(card));
    assert.ok(bytes(card) <= CARD_BUDGET_BYTES, `${kind}: ${bytes(card)} bytes, over ${CARD_BUDGET_BYTES}`);
  };

  for (const status of ALL_STATUSES)
    it(`request card (${status}), with a notice`, () => {
      fits(
        'request',
        cards.request(
          largestRequest(status),
          { canDecide: true, canCancel: true, canRelease: true, attestStepIds: [], canExtend: true, canDecideExtension: true },
          {
            notice: worst(600),
            refreshUserIds: Array.from({ length: 60 }, (_, index) => `29:${'x'.repeat(100)}${index}`),
          },
        ),
      );
      fits('request', cards.request(largestRequest(status), NO_RIGHTS));
    });

  it('request form, refilled with every field at its maximum and an error for each', () => {
    const draft = {
      mailbox: worst(FIELD_LIMITS.mailbox),
      ticket: worst(FIELD_LIMITS.ticket),
      jurisdiction: worst(FIELD_LIMITS.value),
      access: worst(FIELD_LIMITS.value),
      folder: worst(FIELD_LIMITS.folder),
      duration: worst(FIELD_LIMITS.value),
      justification: worst(FIELD_LIMITS.justification),
      legalBasis: worst(FIELD_LIMITS.value),
      noticeWithheldReason: worst(FIELD_LIMITS.reason),
    };
    const errors = Object.fromEntries(Object.keys(draft).map((field) => [field, `"${worst(200)}" is not valid.`]));
    fits('form', cards.form(draft, errors));
  });

  it('security notice', () => {
    fits(
      'notice',
      cards.notice({
        title: 'Refused action',
        text: worst(1_500),
        facts: Array.from({ length: 8 }, () => ({ title: 'Fact', value: worst(300) })),
        footer: 'f',
      }),
    );
  });

  it('list card (mine: 10 requests; audit history: 40 records)', () => {
    fits(
      'list',
      cards.list(
        worst(300),
        Array.from({ length: 40 }, (_, index) => ({ id: `#${index} 2026-12-01T09:00:00Z`, summary: worst(1_200) })),
        'none',
      ),
    );
  });

  it('access review card and the open reviews list', () => {
    const reviews = new TeamsReviewCards(CARDS_DIR, {} as SecurityCardPoster);
    const ids = Array.from({ length: 200 }, (_, index) => `CUS-2026-${String(index).padStart(4, '0')}`);
    const items = ids.slice(0, ITEMS_SHOWN + 5).map((requestId) => ({
      requestId,
      reviewId: 'REV-2026-0001',
      firstReviewId: 'REV-2026-0001',
      reasons: [],
      summary: worst(400),
      markedAt: T0,
      carried: 3,
      outcome: { status: 'escalated' as const, by: name, at: T0, comment: worst(FIELD_LIMITS.comment) },
    }));
    const review = {
      id: 'REV-2026-0001',
      firedAt: T0,
      periodFrom: T0,
      periodTo: T0 + 1,
      createdAt: T0,
      seed: 's'.repeat(64),
      sampleSize: 5,
      population: ids,
      sample: ids.slice(0, 5),
      highImpact: [],
      marked: ids.slice(0, 30),
      carriedOver: ids.slice(0, 30),
      lines: ids.slice(0, LINES_SHOWN + 10).map((requestId) => ({ requestId, summary: worst(400) })),
    };
    fits('review', reviews.review({ review, items }, worst(600)));
    fits('review', reviews.open({ items, carried: 20 }, worst(600)));
  });

  it('drift finding card', () => {
    const findings = new TeamsFindingCards(CARDS_DIR, {} as SecurityCardPoster);
    const finding: DriftFinding = {
      id: 'DRF-1',
      key: 'k',
      permission: { mailbox: worst(FIELD_LIMITS.mailbox), grantee: worst(FIELD_LIMITS.mailbox), kind: 'FullAccess' },
      status: 'allowed',
      firstSeenAt: T0,
      lastSeenAt: T0,
      firstSweepId: 'SWP-1',
      lastSweepId: 'SWP-1',
      reported: 3,
      allowed: { by: name, at: T0, reason: worst(FIELD_LIMITS.reason) },
    };
    fits('finding', findings.finding(finding, worst(600)));
  });
});
