import assert from 'node:assert/strict';
import { APPROVALS_CHANNEL, Harness, USERS, cardText } from '../support/harness';
import { cardAction, message, personal } from '../support/teams-activities';

// A submission is stored in two writes: the insert, which already holds the
// status card when the form's own message becomes it, and one write with the
// outcome of the submission notices and the approval cards posted after them.

const FORM_ACTIVITY = 'form-activity-7';
const FORM = {
  mailbox: 'alex@contoso.com',
  ticket: 'INC-31',
  jurisdiction: 'EU',
  access: 'FullAccess',
  duration: '1h',
  justification: 'phishing investigation INC-31',
};

/** Counts the request writes (and reads) the application makes from now on, through its context's store. */
function countWrites(harness: Harness): { inserts: number; updates: number; reads: number } {
  const counts = { inserts: 0, updates: 0, reads: 0 };
  const counted: Record<string, keyof typeof counts> = { insertRequest: 'inserts', updateRequest: 'updates', getRequest: 'reads' };
  const ctx = harness.custodian.ctx;
  const store = ctx.store;
  ctx.store = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      const name = typeof property === 'string' ? counted[property] : undefined;
      if (!name) return bound;
      return (...args: unknown[]) => {
        counts[name]++;
        return bound(...args);
      };
    },
  });
  return counts;
}

describe('a request is stored in as few writes as it needs, and read only when it may have changed', function () {
  this.timeout(30_000);
  let h: Harness;

  beforeEach(async () => {
    h = await Harness.start();
    await h.registerChannels();
  });
  afterEach(() => h.stop());

  it('from the form: the insert holds the status card, one update holds the notice outcome and the approval card', async () => {
    const writes = countWrites(h);
    await h.post(cardAction(h.serviceUrl, USERS.adele, personal(USERS.adele), 'submitRequest', FORM, FORM_ACTIVITY));
    assert.deepEqual(writes, { inserts: 1, updates: 1, reads: 0 });
    const [stored] = await h.custodian.store.listRequestsByRequester(USERS.adele.aadObjectId, 10);
    assert.deepEqual(
      stored.cards.map((card) => card.view),
      ['status', 'approval'],
    );
    assert.equal(stored.cards[0].activityId, FORM_ACTIVITY);
    const notices = stored.steps.filter((step) => step.kind === 'notify' && step.phase !== 'after');
    assert.ok(notices.length > 0, 'the EU pack sends a notice at submission');
    assert.ok(
      notices.every((step) => step.status === 'done' && /^Sent: /.test(step.note ?? '')),
      JSON.stringify(notices),
    );
    const events = (await h.custodian.store.listAudit({ requestId: stored.id })).map((event) => event.type);
    assert.deepEqual(
      events.filter((type) => type === 'request.submitted' || type.startsWith('step.')),
      ['request.submitted', ...notices.map(() => 'step.done')],
    );
  });

  it('the approval click is decided on the copy this instance stored, and written without reading it first', async () => {
    await h.post(cardAction(h.serviceUrl, USERS.adele, personal(USERS.adele), 'submitRequest', FORM, FORM_ACTIVITY));
    const [submitted] = await h.custodian.store.listRequestsByRequester(USERS.adele.aadObjectId, 10);
    const writes = countWrites(h);
    await h.click(USERS.megan, 'approve', { requestId: submitted.id });
    assert.equal((await h.custodian.store.getRequest(submitted.id))?.status, 'active');
    // Approved (granting), then active once Exchange confirmed; nothing read.
    assert.deepEqual(writes, { inserts: 0, updates: 2, reads: 0 });
  });

  it('a change that lands while the approval card is posted is shown on it', async () => {
    const notifier = h.custodian.ctx.notifier;
    const post = notifier.postApprovalCard.bind(notifier);
    notifier.postApprovalCard = async (request) => {
      // The requester cancels in their chat at that very moment.
      const answer = await h.answerOf(message(h.serviceUrl, USERS.adele, personal(USERS.adele), `cancel ${request.id}`));
      assert.equal(answer.status, 200);
      return post(request);
    };
    await h.post(cardAction(h.serviceUrl, USERS.adele, personal(USERS.adele), 'submitRequest', FORM, FORM_ACTIVITY));
    const [stored] = await h.custodian.store.listRequestsByRequester(USERS.adele.aadObjectId, 10);
    assert.equal(stored.status, 'cancelled');
    const approval = stored.cards.find((card) => card.view === 'approval');
    assert.ok(approval, 'the approval card is recorded although the request changed meanwhile');
    assert.match(cardText(h.connector.latest(APPROVALS_CHANNEL, approval.activityId)), /Cancelled/);
  });
});
