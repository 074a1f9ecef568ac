import assert from 'node:assert/strict';
import { startLocalTenant, type LocalTenant } from '../../src/local-tenant';
import { APPROVALS_CHANNEL, Harness, SECURITY_CHANNEL, USERS, cardText } from '../support/harness';
import { message, personal } from '../support/teams-activities';

// Teams gives up on an invoke after about 10-15 s (fact 16 of real-tenant.md):
// clicks are answered with the updated card at once and the Exchange work
// follows. Exchange changes take 4 s here, reads 50-100 ms.
const SLOW_EXCHANGE = 'exchangeChange=4000,exchangeRead=50-100,graph=5-20';
const LINE = 'request alex@contoso.com ticket INC-1234 jurisdiction EU access full for 4h because phishing investigation INC-1234';

describe('card clicks are answered at once, Exchange works after the answer', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  let tenant: LocalTenant | undefined;

  afterEach(async () => {
    await h?.stop();
    await tenant?.close();
    h = undefined;
    tenant = undefined;
  });

  async function submitted(): Promise<{ harness: Harness; id: string }> {
    tenant = await startLocalTenant({ latency: SLOW_EXCHANGE });
    const harness = (h = await Harness.start({ tenant }));
    await harness.registerChannels();
    await harness.say(USERS.adele, LINE);
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(harness.personalCards(USERS.adele).at(-1)))![0];
    return { harness, id };
  }

  it('the approve click is answered in under 1 s; the grant completes and is announced', async () => {
    const { harness, id } = await submitted();
    const answer = await harness.clickAnswer(USERS.megan, 'approve', { requestId: id });
    assert.equal(answer.status, 200);
    assert.ok(answer.ms < 1_000, `answered after ${Math.round(answer.ms)} ms`);
    assert.match(cardText(answer.body.value), /Granting…[\s\S]*Exchange is granting the access now/);
    assert.equal((await harness.custodian.store.getRequest(id))?.status, 'granting', 'the intent is stored before the answer');
    assert.equal(tenant!.state.grantCalls('alex@contoso.com'), 0, 'Exchange had not been asked when the answer came');

    await harness.settle();
    const stored = (await harness.custodian.store.getRequest(id))!;
    assert.equal(stored.status, 'active');
    assert.ok(tenant!.state.permissionsOf('alex@contoso.com').some((p) => p.grantee === 'adele@contoso.com' && p.kind === 'FullAccess'));
    const posted = stored.cards.find((card) => card.conversationKey === 'approvals')!;
    assert.match(
      cardText(harness.connector.latest(APPROVALS_CHANNEL, posted.activityId)),
      /Access active until/,
      'the approval card was updated once Exchange confirmed',
    );
    assert.ok(
      harness.connector
        .cards(SECURITY_CHANNEL)
        .map(cardText)
        .some((text) => text.includes('Access granted') && text.includes(id)),
      'security notice',
    );
    assert.ok(
      harness.personalTexts(USERS.adele).some((text) => text.includes('Access granted')),
      'the requester is told',
    );
  });

  it('a failed grant updates the card to "Grant failed, nothing was left behind"', async () => {
    const { harness, id } = await submitted();
    tenant!.faults.fail({ route: 'exchange:Add-MailboxPermission', status: 400, times: 1 });
    const answer = await harness.clickAnswer(USERS.megan, 'approve', { requestId: id });
    assert.ok(answer.ms < 1_000, `answered after ${Math.round(answer.ms)} ms`);
    await harness.settle();
    const stored = (await harness.custodian.store.getRequest(id))!;
    assert.equal(stored.status, 'grant_failed');
    const posted = stored.cards.find((card) => card.conversationKey === 'approvals')!;
    assert.match(cardText(harness.connector.latest(APPROVALS_CHANNEL, posted.activityId)), /Grant failed, nothing was left behind/);
    assert.deepEqual(
      tenant!.state.permissionsOf('alex@contoso.com').filter((p) => p.grantee === 'adele@contoso.com'),
      [],
    );
  });

  it('release is acknowledged at once and the revocation announced when Exchange confirms', async () => {
    const { harness, id } = await submitted();
    await harness.click(USERS.megan, 'approve', { requestId: id });
    const started = performance.now();
    await harness.answerOf(messageOf(harness, `release ${id}`));
    const ms = performance.now() - started;
    assert.ok(ms < 1_000, `acknowledged after ${Math.round(ms)} ms`);
    assert.match(harness.personalTexts(USERS.adele).at(-1) ?? '', /revocation started; you will be told when Exchange confirms/);
    await harness.settle();
    assert.equal((await harness.custodian.store.getRequest(id))?.status, 'revoked');
    assert.match(harness.personalTexts(USERS.adele).at(-1) ?? '', /Access ended for .*Removed in Exchange at/);
  });

  it('revoke-all is acknowledged at once and its outcome follows in the same chat', async () => {
    const { harness, id } = await submitted();
    await harness.click(USERS.megan, 'approve', { requestId: id });
    const started = performance.now();
    await harness.answerOf(messageOf(harness, 'revoke-all confirm', USERS.megan));
    assert.ok(performance.now() - started < 1_000);
    assert.match(harness.personalTexts(USERS.megan).at(-1) ?? '', /Ending 1 grant\(s\) now/);
    await harness.settle();
    assert.match(harness.personalTexts(USERS.megan).at(-1) ?? '', /Ended 1 grant\(s\)\./);
    assert.equal((await harness.custodian.store.getRequest(id))?.status, 'revoked');
  });

  it('a grant interrupted after the answer (crash) is finished by the scheduler after restart', async () => {
    const { harness, id } = await submitted();
    // As if the process died right after answering: the work after the answer never runs.
    await harness.custodian.ctx.afterAnswer.close();
    const answer = await harness.clickAnswer(USERS.megan, 'approve', { requestId: id });
    assert.match(cardText(answer.body.value), /Granting…/);
    assert.equal(tenant!.state.grantCalls('alex@contoso.com'), 0);
    await harness.restart();
    await harness.runScheduler();
    assert.equal((await harness.custodian.store.getRequest(id))?.status, 'granting', 'the lease of the dead instance still holds');
    harness.clock.advance(harness.config.leaseMs + 1);
    await harness.runScheduler();
    const stored = (await harness.custodian.store.getRequest(id))!;
    assert.equal(stored.status, 'active');
    assert.ok(tenant!.state.permissionsOf('alex@contoso.com').some((p) => p.grantee === 'adele@contoso.com'));
    const audit = (await harness.custodian.store.listAudit({})).map((event) => event.type);
    assert.ok(audit.includes('grant.recovered') && audit.includes('grant.confirmed'));
    assert.ok(
      harness.connector
        .cards(SECURITY_CHANNEL)
        .map(cardText)
        .some((text) => text.includes('Access granted') && text.includes(id)),
    );
  });
});

function messageOf(harness: Harness, text: string, user = USERS.adele) {
  return message(harness.serviceUrl, user, personal(user), text);
}
