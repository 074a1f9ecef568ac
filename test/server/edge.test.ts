import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LOCAL_TENANT_ID, loadConfig } from '../../src/config/app-config';
import { DEMO_VIEWS, playgroundConfig } from '../../src/local/playground-config';
import { REPO_ROOT } from '../support/requests';
import { memberKey } from '../../src/app/conversations/conversation-keys';
import { FIELD_LIMITS } from '../../src/domain/field-limits';
import { FIXED_ERRORS } from '../../src/server/fixed-errors';
import { APPROVALS_CHANNEL, Harness, SECURITY_CHANNEL, USERS, cardText } from '../support/harness';
import { cardAction, channel, message, personal, TENANT_ID } from '../support/teams-activities';
import type { TeamsUser } from '../support/teams-activity';

// The edge of the bot, through the real restify server and botbuilder adapter:
// what is refused before anything is stored, and what a caller is told.

const STRANGER: TeamsUser = { id: '29:stranger', name: 'Stranger', aadObjectId: 'b0000000-0000-4000-8000-0000000000aa' };

async function postRaw(h: Harness, body: string, contentType = 'application/json') {
  const response = await fetch(`${h.custodian.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await response.text();
  await h.settle();
  return { status: response.status, text };
}

describe('the edge: only our tenant and Teams, bounded input, fixed errors', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start();
    await h.registerChannels();
  });
  after(() => h.stop());

  const securityNotices = () => h.connector.cards(SECURITY_CHANNEL).map(cardText);

  it('refuses activities from another tenant or channel before any store write, with one notice to security', async () => {
    const auditBefore = (await h.custodian.store.listAudit({})).length;
    const noticesBefore = securityNotices().length;
    const foreignTenant = message(h.serviceUrl, STRANGER, personal(STRANGER), 'request');
    foreignTenant.conversation.tenantId = '00000000-0000-4000-8000-00000000beef';
    foreignTenant.channelData.tenant.id = '00000000-0000-4000-8000-00000000beef';
    const mixedTenant = message(h.serviceUrl, STRANGER, personal(STRANGER), 'help');
    mixedTenant.channelData.tenant.id = '00000000-0000-4000-8000-00000000beef';
    const otherChannel = { ...message(h.serviceUrl, STRANGER, personal(STRANGER), 'help'), channelId: 'webchat' };
    const noTenant = message(h.serviceUrl, STRANGER, personal(STRANGER), 'help');
    delete (noTenant.conversation as { tenantId?: string }).tenantId;
    delete (noTenant.channelData as { tenant?: unknown }).tenant;
    for (const activity of [foreignTenant, mixedTenant, otherChannel, noTenant]) {
      const answer = await h.post(activity);
      assert.equal(answer.status, 200, 'a message gets no answer beyond the HTTP acknowledgement');
    }
    const invoke = cardAction(h.serviceUrl, STRANGER, personal(STRANGER), 'approve', { requestId: 'CUS-2026-0001' });
    invoke.channelData.tenant.id = 'other';
    invoke.conversation.tenantId = 'other';
    const refusedInvoke = await h.post(invoke);
    assert.equal(refusedInvoke.status, 403);
    assert.equal(h.connector.texts(personal(STRANGER).conversationId).length, 0, 'nothing is said to the foreign sender');
    assert.equal(await h.custodian.store.getConversation(memberKey(STRANGER.aadObjectId)), null, 'the sender was not remembered');
    const audit = await h.custodian.store.listAudit({});
    const added = audit.slice(auditBefore).map((event) => event.type);
    assert.deepEqual(added, ['notice.security'], 'only the one notice to security was written');
    const notices = securityNotices().slice(noticesBefore);
    assert.equal(notices.length, 1, 'five refusals, one notice');
    assert.match(notices[0], /tenant .* refused/);
  });

  it('refuses an oversized value with a message naming the field and its limit, audited by size only', async () => {
    const justification = 'x'.repeat(FIELD_LIMITS.justification + 1);
    await h.say(USERS.adele, `request alex@contoso.com ticket INC-1234 jurisdiction EU access full for 4h because ${justification}`);
    const told = h.personalTexts(USERS.adele).at(-1) ?? '';
    assert.match(told, /justification is 2,001 characters long; the limit is 2,000/);
    const comment = 'c'.repeat(FIELD_LIMITS.comment + 5);
    const click = await h.click(USERS.megan, 'reject', { requestId: 'CUS-2026-0001', comment });
    assert.equal(click.status, 200);
    assert.match(String(click.body.value), /comment is 1,005 characters long; the limit is 1,000/);
    const verb = await h.click(USERS.megan, 'v'.repeat(70_000), { requestId: 'CUS-2026-0001' });
    assert.match(String(verb.body.value), /button verb is 70,000 characters long; the limit is 64/);
    const line = await h.say(USERS.adele, 'help '.repeat(1_000));
    assert.equal(line.status, 200);
    assert.match(h.personalTexts(USERS.adele).at(-1) ?? '', /message is 5,000 characters long; the limit is 4,000/);
    const refusals = (await h.custodian.store.listAudit({})).filter((event) => event.type === 'refused.oversized-input');
    assert.deepEqual(
      refusals.map((event) => [event.details.field, event.details.size, event.details.limit]),
      [
        ['justification', 2001, 2000],
        ['comment', 1005, 1000],
        ['verb', 70_000, 64],
        ['commandLine', 5000, 4000],
      ],
    );
    const everything = JSON.stringify(await h.custodian.store.listAudit({}));
    assert.ok(!everything.includes('xxxxxxxxxx') && !everything.includes('vvvvvvvvvv'), 'no oversized content in the audit trail');
    assert.equal((await h.custodian.store.listRequestsByRequester(USERS.adele.aadObjectId, 10)).length, 0, 'no request was stored');
  });

  it('answers a malformed body or JSON with a fixed 400, never the parser’s or adapter’s text', async () => {
    for (const body of ['{"type": "message", "text": ', '[]', '"text"', '{}', '{"type":"message"}', 'not json at all'])
      for (const contentType of ['application/json', 'text/plain']) {
        const answer = await postRaw(h, body, contentType);
        assert.equal(answer.status, 400, `${body} as ${contentType}`);
        assert.deepEqual(JSON.parse(answer.text), FIXED_ERRORS[400], `${body} as ${contentType}`);
      }
    const huge = await postRaw(h, JSON.stringify({ type: 'message', text: 'x'.repeat(300_000) }));
    assert.equal(huge.status, 413);
    assert.deepEqual(JSON.parse(huge.text), FIXED_ERRORS[413]);
  });

  it('answers an invoke it does not handle with 400 instead of the handler’s 501', async () => {
    const invoke = { ...cardAction(h.serviceUrl, USERS.megan, channel(APPROVALS_CHANNEL), 'approve', {}), name: 'composeExtension/query' };
    const answer = await h.post(invoke);
    assert.equal(answer.status, 400);
  });
});

describe('the allowed tenant setting', () => {
  it('is the simulated tenant in local mode, which the Agents Playground and the fixture use too', () => {
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    assert.equal(config.allowedTenantId, LOCAL_TENANT_ID);
    assert.equal(TENANT_ID, LOCAL_TENANT_ID);
    const fixture = JSON.parse(readFileSync(join(REPO_ROOT, 'src', 'local-tenant', 'fixture.json'), 'utf8')) as { tenantId: string };
    assert.equal(fixture.tenantId, LOCAL_TENANT_ID);
    for (const view of DEMO_VIEWS) {
      const playground = parse(playgroundConfig(view)) as { tenantId: string };
      assert.equal(playground.tenantId, LOCAL_TENANT_ID, `${view.key} view`);
    }
  });

  it('follows M365_TENANT_ID, then MICROSOFT_APP_TENANT_ID, unless CUSTODIAN_ALLOWED_TENANT_ID names it', () => {
    const m365 = {
      M365_TENANT_ID: 'AAAAAAAA-0000-4000-8000-000000000001',
      M365_CLIENT_ID: 'c',
      M365_CLIENT_SECRET: 's',
      M365_SERVICE_MAILBOX: 'custodian@contoso.com',
      CUSTODIAN_MODE: 'local',
      // A real tenant needs Bot Framework credentials whatever the mode (the start-up rule); M365_TENANT_ID still comes first.
      MICROSOFT_APP_ID: 'a',
      MICROSOFT_APP_PASSWORD: 'p',
      MICROSOFT_APP_TENANT_ID: 'dddd',
    };
    assert.equal(loadConfig(m365).allowedTenantId, 'aaaaaaaa-0000-4000-8000-000000000001');
    assert.equal(loadConfig({ MICROSOFT_APP_TENANT_ID: 'bbbb' }).allowedTenantId, 'bbbb');
    assert.equal(loadConfig({ ...m365, CUSTODIAN_ALLOWED_TENANT_ID: 'cccc' }).allowedTenantId, 'cccc');
  });
});
