import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { FIXED_ERRORS } from '../../src/server/fixed-errors';
import { Harness, USERS } from '../support/harness';
import { message, personal, TENANT_ID } from '../support/teams-activities';

// With an app ID the adapter validates the Bot Framework JWT on every
// activity. botbuilder itself would answer a failure with the exception's
// text; the server answers with a fixed body and status instead.

const APP_ID = '11111111-2222-4333-8444-555555555555';

describe('requests that fail authentication get a fixed 401, never exception text', function () {
  this.timeout(60_000);
  let h: Harness;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sign = (claims: Record<string, unknown>) =>
    jwt.sign({ serviceurl: 'http://127.0.0.1', ...claims }, privateKey, { algorithm: 'RS256', keyid: randomUUID(), expiresIn: '5m' });

  before(async () => {
    h = await Harness.start({ env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-used', MICROSOFT_APP_TENANT_ID: TENANT_ID } });
  });
  after(() => h.stop());

  async function post(authorization?: string) {
    const response = await fetch(`${h.custodian.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(message(h.serviceUrl, USERS.adele, personal(USERS.adele), 'help')),
    });
    return { status: response.status, text: await response.text() };
  }

  const cases: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['a token that is not a JWT', () => 'Bearer not-a-token'],
    ['a scheme other than Bearer', () => 'Basic dXNlcjpwYXNz'],
    ['a token from an issuer the Bot Framework does not use', () => `Bearer ${sign({ iss: 'https://issuer.invalid', aud: APP_ID })}`],
  ];
  for (const [name, authorization] of cases)
    it(name, async () => {
      const auditBefore = (await h.custodian.store.listAudit({})).length;
      const answer = await post(authorization());
      assert.equal(answer.status, 401);
      assert.deepEqual(JSON.parse(answer.text), FIXED_ERRORS[401]);
      assert.equal((await h.custodian.store.listAudit({})).length, auditBefore, 'nothing was stored');
      assert.equal(h.connector.texts(personal(USERS.adele).conversationId).length, 0, 'the bot did not run');
    });

  // Its signing keys are looked up at login.botframework.com: unknown there, or unreachable, it fails closed.
  it('a token with the Bot Framework issuer signed by a key it does not publish', async () => {
    const answer = await post(`Bearer ${sign({ iss: 'https://api.botframework.com', aud: APP_ID })}`);
    assert.equal(answer.status, 401);
    assert.deepEqual(JSON.parse(answer.text), FIXED_ERRORS[401]);
  });
});
