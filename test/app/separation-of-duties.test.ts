import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findingIdFor, findingRecords } from '../../src/app/drift/drift-records';
import { allowStandingAccess, removeFinding } from '../../src/app/drift/finding-actions';
import type { FindingCards, ReviewCards } from '../../src/app/ports';
import { approveRequest, attestStep, rejectRequest } from '../../src/app/requests/decide-request';
import { decideReviewItem } from '../../src/app/reviews/review-outcome';
import { reviewItemRecords } from '../../src/app/reviews/review-records';
import { newFinding } from '../../src/domain/drift-finding';
import type { Person } from '../../src/domain/types';
import { DEFAULT_CACHE_POLICIES } from '../../src/cache/cache-policies';
import { Harness, USERS, cardText } from '../support/harness';

const person = (user: { aadObjectId: string; name: string }): Person => ({ aadObjectId: user.aadObjectId, name: user.name });
const adele = person(USERS.adele);
const megan = person(USERS.megan);
const johanna = person(USERS.johanna);
const lynne = person(USERS.lynne);
const alex = person(USERS.alex);
const nestor = person(USERS.nestor);
const diego = person(USERS.diego);

/** The shipped policy with Lynne and Diego in the security role too (more people to judge), and `extra` appended. */
function policyFile(dir: string, extra = ''): string {
  const shipped = readFileSync('bot/policies.yaml', 'utf8');
  const securityMembers =
    '  security:\n    description: IT security approvers and the security team (audit queries, sweeps)\n    members:\n';
  assert.ok(shipped.includes(securityMembers), 'the shipped policy lists security members as expected');
  const text =
    shipped.replace(securityMembers, `${securityMembers}      - ${USERS.lynne.aadObjectId}\n      - ${USERS.diego.aadObjectId}\n`) + extra;
  const path = join(dir, 'policies.yaml');
  writeFileSync(path, text);
  return path;
}

const noCards: FindingCards & ReviewCards = {
  postFinding: async () => undefined,
  updateFinding: async () => undefined,
} as unknown as FindingCards & ReviewCards;

describe('separation of duties in the use cases', function () {
  let h: Harness;
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'custodian-sod-'));
  });
  afterEach(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function submit(requester: Person, line: string): Promise<string> {
    const user = Object.values(USERS).find((candidate) => candidate.aadObjectId === requester.aadObjectId)!;
    await h.say(user, `request ${line}`);
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(user).at(-1)))?.[0];
    assert.ok(id, `no request ID after "${line}"`);
    return id;
  }

  async function auditOf(type: string, requestId?: string) {
    return (await h.custodian.store.listAudit(requestId ? { requestId } : {})).filter((event) => event.type === type);
  }

  const parts = (events: { actor: Person; details: Record<string, unknown> }[]) =>
    events.map((event) => [event.actor.aadObjectId, event.details.code, event.details.part]);

  it('approve and reject: the requester and the mailbox owner are refused even in the role; another approver succeeds', async () => {
    h = await Harness.start({ policyFile: policyFile(dir) });
    // Megan (security) asks for Alex's mailbox.
    const id = await submit(megan, 'alex@contoso.com ticket INC-1 jurisdiction EU access read for 2h because misrouted mail');
    const own = await approveRequest(h.custodian.ctx, megan, id);
    assert.equal(own.ok, false);
    const rejectOwn = await rejectRequest(h.custodian.ctx, megan, id, 'never mind');
    assert.equal(rejectOwn.ok, false);
    const ownerClick = await approveRequest(h.custodian.ctx, alex, id);
    assert.equal(ownerClick.ok, false);
    if (!ownerClick.ok) assert.match(ownerClick.refusal.message, /is about your own mailbox/);
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'pending');
    const approved = await approveRequest(h.custodian.ctx, johanna, id);
    assert.equal(approved.ok, true);
    if (approved.ok) await approved.settled;
    assert.deepEqual(parts([...(await auditOf('refused.approve', id)), ...(await auditOf('refused.reject', id))]), [
      [megan.aadObjectId, 'separation-of-duties', 'requester'],
      [alex.aadObjectId, 'separation-of-duties', 'mailbox-owner'],
      [megan.aadObjectId, 'separation-of-duties', 'requester'],
    ]);
    assert.equal((await auditOf('request.approved', id))[0].actor.aadObjectId, johanna.aadObjectId);
  });

  it('attest: the mailbox owner is refused; the HR member records the step', async () => {
    h = await Harness.start({ policyFile: policyFile(dir) });
    const id = await submit(
      adele,
      'alex@contoso.com ticket INC-12345 jurisdiction NO access read for 2h basis operations because misrouted mail',
    );
    const byOwner = await attestStep(h.custodian.ctx, alex, id, 'employee-heard', 'done');
    assert.equal(byOwner.ok, false);
    if (!byOwner.ok) assert.match(byOwner.refusal.message, /^Separation of duties: .* is about your own mailbox, so you cannot record/);
    const byHr = await attestStep(h.custodian.ctx, nestor, id, 'employee-heard', 'done');
    assert.equal(byHr.ok, true);
    assert.deepEqual(parts(await auditOf('refused.attest', id)), [[alex.aadObjectId, 'separation-of-duties', 'mailbox-owner']]);
    assert.equal((await auditOf('step.attested', id))[0].actor.aadObjectId, nestor.aadObjectId);
  });

  it('review verdicts and escalations: requester (the grantee), mailbox owner and approver are refused; someone else decides', async () => {
    h = await Harness.start({ policyFile: policyFile(dir) });
    // Megan asks for Johanna's mailbox; Lynne approves. Megan is requester and grantee, Johanna the owner, Lynne the approver.
    const id = await submit(megan, 'johanna@contoso.com ticket INC-2 jurisdiction EU access read for 2h because misrouted mail');
    const approved = await approveRequest(h.custodian.ctx, lynne, id);
    assert.ok(approved.ok);
    await approved.settled;
    await reviewItemRecords(h.custodian.store).insert(id, {
      requestId: id,
      reviewId: 'REV-20261130-0800',
      firstReviewId: 'REV-20261130-0800',
      reasons: ['sample'],
      summary: id,
      markedAt: h.clock.now(),
      carried: 0,
    });
    const ctx = h.custodian.ctx;
    const refused = [
      await decideReviewItem(ctx, noCards, megan, id, 'fine'),
      await decideReviewItem(ctx, noCards, johanna, id, 'escalated', 'this should not have been granted'),
      await decideReviewItem(ctx, noCards, lynne, id, 'fine'),
    ];
    assert.deepEqual(
      refused.map((result) => result.ok),
      [false, false, false],
    );
    for (const result of refused) assert.ok(!result.ok && result.item?.requestId === id, 'the item is shown again, undecided');
    assert.equal((await reviewItemRecords(h.custodian.store).get(id))?.body.outcome, undefined);
    const outsider = await decideReviewItem(ctx, noCards, adele, id, 'fine');
    assert.equal(outsider.ok, false, 'Adele is not in the security role');
    const unknown = await decideReviewItem(ctx, noCards, diego, 'CUS-2026-9999', 'fine');
    assert.deepEqual(unknown, { ok: false, message: 'CUS-2026-9999 is not a grant Custodian knows; nothing was recorded.', item: null });
    const fine = await decideReviewItem(ctx, noCards, diego, id, 'fine');
    assert.equal(fine.ok, true);
    assert.deepEqual(parts([...(await auditOf('refused.review-fine', id)), ...(await auditOf('refused.review-escalate', id))]), [
      [megan.aadObjectId, 'separation-of-duties', 'requester'],
      [lynne.aadObjectId, 'separation-of-duties', 'approver'],
      [adele.aadObjectId, 'not-allowed', undefined],
      [johanna.aadObjectId, 'separation-of-duties', 'mailbox-owner'],
    ]);
    assert.equal((await auditOf('review.item.fine', id))[0].actor.aadObjectId, diego.aadObjectId);
    assert.deepEqual(
      refused.map((result) => (result.ok ? '' : result.message.replace(/CUS-\d{4}-\d{4}/, 'ID'))),
      [
        'Separation of duties: you requested ID, so you cannot review it; someone else must.',
        'Separation of duties: ID is about your own mailbox, so you cannot escalate it; someone else must.',
        'Separation of duties: you approved ID, so you cannot review it; someone else must.',
      ],
    );
  });

  it('drift Allow and Remove now: the holder and the mailbox owner are refused, the card stays; another member acts', async () => {
    h = await Harness.start({ policyFile: policyFile(dir) });
    const repo = findingRecords(h.custodian.store);
    const insert = async (mailbox: string, grantee: string) => {
      const key = `${mailbox}|${grantee}|FullAccess`;
      const id = findingIdFor(key);
      await repo.insert(id, newFinding(id, key, { mailbox, grantee, kind: 'FullAccess' }, 'SWP-1', h.clock.now()));
      return id;
    };
    const held = await insert('isaiah@contoso.com', 'johanna@contoso.com');
    const onMegan = await insert('megan@contoso.com', 'diego@contoso.com');
    const ctx = h.custodian.ctx;
    const results = [
      await allowStandingAccess(ctx, noCards, johanna, held, 'I cover for him'),
      await removeFinding(ctx, noCards, johanna, held),
      await allowStandingAccess(ctx, noCards, megan, onMegan, 'Diego reads my mail for me'),
      await removeFinding(ctx, noCards, megan, onMegan),
    ];
    for (const result of results) {
      assert.equal(result.ok, false);
      assert.match(result.message, /^Separation of duties: /);
      assert.equal(result.finding?.status, 'open', 'the card is shown again with its actions');
    }
    assert.deepEqual(parts([...(await auditOf('refused.finding-allow')), ...(await auditOf('refused.finding-remove'))]), [
      [johanna.aadObjectId, 'separation-of-duties', 'grantee'],
      [megan.aadObjectId, 'separation-of-duties', 'mailbox-owner'],
      [johanna.aadObjectId, 'separation-of-duties', 'grantee'],
      [megan.aadObjectId, 'separation-of-duties', 'mailbox-owner'],
    ]);
    assert.equal((await allowStandingAccess(ctx, noCards, megan, held, 'Covers for Isaiah (HR-88)')).ok, true);
    assert.equal((await allowStandingAccess(ctx, noCards, johanna, onMegan, 'Delegate (HR-89)')).ok, true);
    assert.deepEqual(
      (await auditOf('drift.finding.allowed')).map((event) => [event.actor.aadObjectId, event.details.findingId]),
      [
        [megan.aadObjectId, held],
        [johanna.aadObjectId, onMegan],
      ],
    );
  });

  it('alsoRefuse: managers the policy names are refused, looked up only when the policy asks', async () => {
    // Adele reports to Megan in this tenant; Alex reports to Nestor (fixture).
    h = await Harness.start({ policyFile: policyFile(dir, '\nseparationOfDuties:\n  alsoRefuse: [requester-manager, owner-manager]\n') });
    h.tenant.state.userById(adele.aadObjectId)!.managerId = megan.aadObjectId;
    const id = await submit(adele, 'alex@contoso.com ticket INC-3 jurisdiction EU access read for 2h because misrouted mail');
    // Past the manager cache's TTL (src/cache): the submit's own look-ups are no longer kept, so any look-up reaches the tenant.
    h.clock.advance(DEFAULT_CACHE_POLICIES.managers.ttlMs + 1);
    const managers = h.tenant.state.callCount('graph:manager');
    const byManager = await approveRequest(h.custodian.ctx, megan, id);
    assert.equal(byManager.ok, false);
    if (!byManager.ok) assert.match(byManager.refusal.message, /you are the manager of the person who requested/);
    assert.ok(h.tenant.state.callCount('graph:manager') > managers, 'the managers were looked up');
    const approved = await approveRequest(h.custodian.ctx, johanna, id);
    assert.equal(approved.ok, true);
    assert.deepEqual(parts(await auditOf('refused.approve', id)), [[megan.aadObjectId, 'separation-of-duties', 'requester-manager']]);
  });

  it('without alsoRefuse, a judgement asks the directory for no managers', async () => {
    h = await Harness.start({ policyFile: policyFile(dir) });
    h.tenant.state.userById(adele.aadObjectId)!.managerId = megan.aadObjectId;
    const id = await submit(adele, 'alex@contoso.com ticket INC-4 jurisdiction EU access read for 2h because misrouted mail');
    // Past the manager cache's TTL (src/cache): the submit's own look-ups are no longer kept, so any look-up reaches the tenant.
    h.clock.advance(DEFAULT_CACHE_POLICIES.managers.ttlMs + 1);
    const managers = h.tenant.state.callCount('graph:manager');
    const approved = await approveRequest(h.custodian.ctx, megan, id);
    assert.equal(approved.ok, true, 'a manager may approve when the policy does not refuse managers');
    assert.equal(h.tenant.state.callCount('graph:manager'), managers);
  });
});
