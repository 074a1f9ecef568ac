import assert from 'node:assert/strict';
import { mongoUriOrSkip } from '../setup/mongo-server';
import { TcpRelay } from '../setup/tcp-relay';
import { Harness, USERS, cardText } from '../support/harness';

const HOUR = 3_600_000;

describe('MongoDB becomes unreachable while the bot runs', function () {
  this.timeout(120_000);
  // The network to the database goes away and comes back (a relay in front of the test server).
  let db: TcpRelay;
  let h: Harness;

  before(async function () {
    db = await TcpRelay.start(await mongoUriOrSkip(this));
    h = await Harness.start({
      env: { MONGODB_URI: `${db.uri}?serverSelectionTimeoutMS=1500&connectTimeoutMS=1500`, MONGODB_DB: `outage${Date.now()}` },
    });
    await h.registerChannels();
  });
  after(async () => {
    await h?.stop().catch(() => undefined);
    await db?.cut();
  });

  it('tells users nothing was changed, keeps the due revocation, and does it exactly once when the database is back', async () => {
    assert.equal(h.custodian.store.kind, 'mongodb');
    await h.say(USERS.adele, 'request alex@contoso.com ticket INC-7 jurisdiction EU access full for 1h because outage drill');
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.megan, 'approve', { requestId: id });
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'active');

    await db.cut();
    const before = h.connector.sent.length;
    await h.say(USERS.adele, 'mine');
    const reply = h.connector.sent
      .slice(before)
      .map((entry) => (typeof entry.activity.text === 'string' ? entry.activity.text : ''))
      .join('\n');
    assert.match(reply, /temporarily unavailable[\s\S]*Nothing was changed/);

    h.clock.advance(HOUR);
    await assert.rejects(h.runScheduler(), /unavailable|connect|ECONNREFUSED|Server selection/i);
    assert.equal(h.tenant.state.revokeCalls('alex@contoso.com'), 0, 'nothing is revoked without recording it');

    await db.serve();
    await h.runScheduler();
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'revoked');
    assert.equal(h.tenant.state.revokeCalls('alex@contoso.com'), 1);
    await h.runScheduler();
    assert.equal(h.tenant.state.revokeCalls('alex@contoso.com'), 1, 'and not twice');
  });
});
