import assert from 'node:assert/strict';
import { reviewItemRecords, reviewRecords } from '../../src/app/reviews/review-records';
import { selectSample } from '../../src/domain/review-sample';
import type { AccessReview } from '../../src/domain/review-record';
import { Harness, SECURITY_CHANNEL, USERS, cardText, cardVerbs } from '../support/harness';
import type { TeamsUser } from '../support/teams-activity';
import { channel, personal } from '../support/teams-activities';
import { assertValidCard } from '../teams/cards/card-checks';

// The clock starts on Friday 2026-11-27 09:00 UTC; the review runs on Mondays at 08:00 (default).
const FIRST_REVIEW_AT = Date.UTC(2026, 10, 30, 8, 0, 5);
const SECOND_REVIEW_AT = Date.UTC(2026, 11, 7, 8, 0, 5);

describe('access reviews through the real server', function () {
  let h: Harness;

  beforeEach(async () => {
    // Sweeps run on their own schedule too; one small mailbox keeps them out of the way here.
    h = await Harness.start({ env: { CUSTODIAN_REVIEW_SAMPLE_SIZE: '2', CUSTODIAN_SWEEP_MAILBOXES: 'custodian@contoso.com' } });
    await h.registerChannels();
  });
  afterEach(async () => h.stop());

  async function grant(line: string, approvers: TeamsUser[] = [USERS.megan]): Promise<string> {
    await h.say(USERS.adele, `request ${line}`);
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))?.[0];
    assert.ok(id, `no request ID after "${line}"`);
    for (const approver of approvers) await h.click(approver, 'approve', { requestId: id });
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'active', `${id} was not granted`);
    return id;
  }

  /**
   * Six grants: two FullAccess and a conflict of interest (high impact), three ordinary read-only ones.
   * Johanna approved the first, Megan the second: each may review only the one the other approved.
   */
  async function grantsOfTheWeek(): Promise<{ all: string[]; highImpact: string[] }> {
    const full1 = await grant('alex@contoso.com ticket INC-101 jurisdiction EU access full for 4h because phishing investigation', [
      USERS.johanna,
    ]);
    const full2 = await grant('nestor@contoso.com ticket INC-102 jurisdiction EU access full for 4h because mailbox export');
    const read1 = await grant('johanna@contoso.com ticket INC-103 jurisdiction EU access read for 2h because misrouted mail');
    const read2 = await grant('lynne@contoso.com ticket INC-104 jurisdiction EU access read for 2h because calendar problem');
    const read3 = await grant('megan@contoso.com ticket INC-105 jurisdiction EU access read for 2h because rule cleanup', [USERS.johanna]);
    // Diego reports to Adele: a conflict of interest, so two security approvals.
    const conflict = await grant('diego@contoso.com ticket INC-106 jurisdiction EU access read for 2h because stuck delivery', [
      USERS.megan,
      USERS.johanna,
    ]);
    return { all: [full1, full2, read1, read2, read3, conflict], highImpact: [full1, full2, conflict] };
  }

  async function reviewAt(at: number): Promise<{ review: AccessReview; card: Record<string, unknown>; activityId: string }> {
    h.clock.set(at);
    await h.runScheduler();
    await h.custodian.drift.idle();
    const reviews = await reviewRecords(h.custodian.store).list();
    const review = reviews.at(-1)!.body;
    assert.ok(review.card, 'the review card was posted');
    const sent = h.connector.to(SECURITY_CHANNEL).find((entry) => entry.id === review.card!.activityId)!;
    const card = (sent.activity.attachments as { content: Record<string, unknown> }[])[0].content;
    return { review, card, activityId: review.card.activityId };
  }

  async function auditOf(type: string) {
    return (await h.custodian.store.listAudit({})).filter((event) => event.type === type);
  }

  it('posts every grant of the period, the random sample and every high-impact grant, reproducibly from the audit trail', async () => {
    const { all, highImpact } = await grantsOfTheWeek();
    const { review, card } = await reviewAt(FIRST_REVIEW_AT);

    assert.equal(review.id, 'REV-20261130-0800');
    assert.deepEqual(review.population, [...all].sort(), 'the population is every grant of the period, in ID order');
    assert.deepEqual(review.sample, selectSample(review.population, review.seed, 2), 're-running the draw gives the recorded sample');
    assert.deepEqual(review.highImpact.map((entry) => entry.requestId).sort(), [...highImpact].sort());
    assert.deepEqual([...review.marked].sort(), [...new Set([...review.sample, ...highImpact])].sort());

    assertValidCard(card);
    const text = cardText(card);
    for (const id of all) assert.ok(text.includes(id), `${id} is missing from the compact list`);
    assert.match(text, /Grants in the period\n6/);
    assert.ok(text.includes(review.seed), 'the seed is on the card');
    assert.equal(cardVerbs(card).filter((verb) => verb === 'reviewFine').length, review.marked.length, 'each marked grant has its buttons');
    assert.equal(cardVerbs(card).filter((verb) => verb === 'reviewEscalate').length, review.marked.length);

    // What an auditor does: take seed, population and selection from the audit trail and re-run the draw.
    const [posted] = await auditOf('review.posted');
    const details = posted.details as { seed: string; population: string[]; sample: string[]; sampleSize: number };
    assert.deepEqual(details.population, review.population);
    assert.deepEqual(selectSample(details.population, details.seed, details.sampleSize), details.sample);
  });

  it('records "Reviewed – fine" and "Escalate" from the security role only, audits every outcome and refusal, and updates the card', async () => {
    const { highImpact } = await grantsOfTheWeek();
    const { review, activityId } = await reviewAt(FIRST_REVIEW_AT);
    const [first, second] = highImpact;
    const place = channel(SECURITY_CHANNEL);

    const outsider = await h.click(USERS.adele, 'reviewFine', { reviewId: review.id, requestId: first }, place);
    assert.match(String(outsider.body.value), /Only members of the security role/);
    assert.equal((await auditOf('refused.review-fine')).length, 1);
    assert.ok(
      h.connector
        .cards(SECURITY_CHANNEL)
        .map(cardText)
        .some((text) => text.includes('Refused action') && text.includes(first)),
    );

    const bare = await h.click(USERS.megan, 'reviewEscalate', { reviewId: review.id, requestId: first }, place);
    assert.match(cardText(bare.body.value), /Say why you escalate/);
    assert.equal((await auditOf('refused.review-escalate')).length, 1);

    const escalated = await h.click(
      USERS.megan,
      'reviewEscalate',
      { reviewId: review.id, requestId: first, [`comment-${first}`]: 'ticket INC-101 was closed before the grant' },
      place,
    );
    assert.equal(escalated.status, 200);
    assert.match(cardText(escalated.body.value), /Escalated by Megan Bowen .*ticket INC-101 was closed before the grant/);
    const fine = await h.click(USERS.johanna, 'reviewFine', { reviewId: review.id, requestId: second }, place);
    assert.match(cardText(fine.body.value), /Reviewed – fine, by Johanna Lorenz/);
    const twice = await h.click(
      USERS.johanna,
      'reviewEscalate',
      { reviewId: review.id, requestId: second, [`comment-${second}`]: 'second thoughts' },
      place,
    );
    assert.match(cardText(twice.body.value), /already reviewed \(fine\) by Johanna Lorenz/);

    const [escalation] = await auditOf('review.item.escalated');
    assert.equal(escalation.requestId, first);
    assert.equal(escalation.actor.aadObjectId, USERS.megan.aadObjectId);
    assert.equal(escalation.details.comment, 'ticket INC-101 was closed before the grant');
    assert.equal(escalation.details.reviewId, review.id);
    const [verdict] = await auditOf('review.item.fine');
    assert.equal(verdict.requestId, second);
    assert.equal(verdict.actor.aadObjectId, USERS.johanna.aadObjectId);
    assert.equal((await auditOf('refused.review-escalate')).length, 2, 'the second verdict was refused and audited');
    assert.ok(
      h.connector
        .cards(SECURITY_CHANNEL)
        .map(cardText)
        .some((text) => text.includes('Access review: grant escalated') && text.includes(first)),
    );

    // Everyone else's copy of the card shows the verdicts and no buttons for them.
    const updated = h.connector.latest(SECURITY_CHANNEL, activityId)!;
    const card = (updated.attachments as { content: Record<string, unknown> }[])[0].content;
    assertValidCard(card);
    assert.match(cardText(card), /Escalated by Megan Bowen/);
    assert.match(cardText(card), /Reviewed – fine, by Johanna Lorenz/);
    assert.equal(cardVerbs(card).filter((verb) => verb === 'reviewFine').length, review.marked.length - 2);
  });

  it("refuses a verdict from an approver of the grant, keeps its buttons for the others, and takes another member's", async () => {
    const { highImpact } = await grantsOfTheWeek();
    const { review } = await reviewAt(FIRST_REVIEW_AT);
    const [, second, conflict] = highImpact;
    const place = channel(SECURITY_CHANNEL);

    // Megan approved the second grant; Megan and Johanna both approved the conflict-of-interest one.
    const own = await h.click(USERS.megan, 'reviewFine', { reviewId: review.id, requestId: second }, place);
    assert.match(
      cardText(own.body.value),
      /Separation of duties: you approved CUS-\d{4}-\d{4}, so you cannot review it; someone else must/,
    );
    assert.equal(cardVerbs(own.body.value).filter((verb) => verb === 'reviewFine').length, review.marked.length, 'nothing was decided');
    const escalate = await h.click(
      USERS.johanna,
      'reviewEscalate',
      { reviewId: review.id, requestId: conflict, [`comment-${conflict}`]: 'looks fine to me' },
      place,
    );
    assert.match(cardText(escalate.body.value), /you approved .*so you cannot escalate it/);
    assert.equal((await reviewItemRecords(h.custodian.store).get(conflict))!.body.outcome, undefined);

    const fine = await h.click(USERS.johanna, 'reviewFine', { reviewId: review.id, requestId: second }, place);
    assert.match(cardText(fine.body.value), /Reviewed – fine, by Johanna Lorenz/);

    const refusals = [...(await auditOf('refused.review-fine')), ...(await auditOf('refused.review-escalate'))];
    assert.deepEqual(
      refusals.map((event) => [event.actor.aadObjectId, event.requestId, event.details.code, event.details.part]),
      [
        [USERS.megan.aadObjectId, second, 'separation-of-duties', 'approver'],
        [USERS.johanna.aadObjectId, conflict, 'separation-of-duties', 'approver'],
      ],
    );
    const [verdict] = await auditOf('review.item.fine');
    assert.deepEqual([verdict.actor.aadObjectId, verdict.requestId], [USERS.johanna.aadObjectId, second]);
    const reported = h.connector
      .cards(SECURITY_CHANNEL)
      .map(cardText)
      .filter((text) => text.includes('Refused action') && text.includes('Separation of duties'));
    assert.equal(reported.length, 2);
  });

  it('carries unreviewed items into the next review and counts them; "reviews" lists what is open', async () => {
    const { highImpact } = await grantsOfTheWeek();
    const first = await reviewAt(FIRST_REVIEW_AT);
    // Megan approved every grant but the first, so that is the one she may review.
    const reviewed = highImpact[0];
    const left = first.review.marked.filter((id) => id !== reviewed);
    await h.click(USERS.megan, 'reviewFine', { reviewId: first.review.id, requestId: reviewed }, channel(SECURITY_CHANNEL));

    await h.say(USERS.megan, 'reviews', personal(USERS.megan));
    const list = h.personalCards(USERS.megan).at(-1)!;
    assertValidCard(list);
    assert.match(cardText(list), new RegExp(`${left.length} grant\\(s\\) waiting for a verdict; 0 of them carried over`));
    for (const id of left) assert.ok(cardText(list).includes(id), `${id} is not listed as open`);
    assert.ok(!cardText(list).includes(`${reviewed} ·`), 'the reviewed grant is not open any more');
    await h.say(USERS.adele, 'reviews');
    assert.ok(h.personalTexts(USERS.adele).some((text) => text.includes('Only members of the security role')));
    assert.equal((await auditOf('refused.reviews-query')).length, 1);

    const second = await reviewAt(SECOND_REVIEW_AT);
    assert.equal(second.review.id, 'REV-20261207-0800');
    assert.deepEqual(second.review.population, [], 'no grants in the second week');
    assert.deepEqual([...second.review.carriedOver].sort(), [...left].sort());
    assert.match(cardText(second.card), new RegExp(`Carried over unreviewed\\n${left.length} \\(`));
    assert.equal(
      cardVerbs(second.card).filter((verb) => verb === 'reviewFine').length,
      left.length,
      'carried items can be reviewed on the new card',
    );
    for (const id of left) {
      const item = (await reviewItemRecords(h.custodian.store).get(id))!.body;
      assert.equal(item.carried, 1);
      assert.equal(item.reviewId, second.review.id);
      assert.equal(item.firstReviewId, first.review.id);
    }
    const [, posted] = await auditOf('review.posted');
    assert.equal(posted.details.carriedCount, left.length);

    // The first card no longer offers buttons for what moved on.
    const old = (h.connector.latest(SECURITY_CHANNEL, first.activityId)!.attachments as { content: Record<string, unknown> }[])[0].content;
    assert.deepEqual(cardVerbs(old), []);
    assert.match(cardText(old), /carried over to REV-20261207-0800/);

    await h.say(USERS.megan, 'reviews', personal(USERS.megan));
    assert.match(
      cardText(h.personalCards(USERS.megan).at(-1)),
      new RegExp(`${left.length} grant\\(s\\) waiting for a verdict; ${left.length} of them carried over`),
    );
  });
});
