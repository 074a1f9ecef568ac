import assert from 'node:assert/strict';
import { FerretDbProcess } from '../support/ferretdb-process';
import { Harness, USERS, cardText } from '../support/harness';

const HOUR = 3_600_000;

describe('MongoDB becomes unreachable while the bot runs', function () {
  this.timeout(120_000);
  let db: FerretDbProcess;
  let h: Harness;

  before(async function () {
    const binary = FerretDbProcess.findBinary();
    if (!binary) {
      if (process.env.CI) throw new Error('No ferretdb binary (PATH or ~/go/bin): the outage test cannot run. .ci/ferretdb.sh builds one.');
      console.warn('\n  !!! Skipping the MongoDB outage test: no ferretdb binary on PATH or in ~/go/bin (see README, "Tests").\n');
      this.skip();
    }
    db = await FerretDbProcess.start(binary);
    h = await Harness.start({ env: { MONGODB_URI: db.uri, MONGODB_DB: `outage${Date.now()}` } });
    await h.registerChannels();
  });
  after(async () => {
    await h?.stop().catch(() => undefined);
    await db?.dispose();
  });

  it('tells users nothing was changed, keeps the due revocation, and does it exactly once when the database is back', async () => {
    assert.equal(h.custodian.store.kind, 'mongodb');
    await h.say(USERS.adele, 'request alex@contoso.com ticket INC-7 jurisdiction EU access full for 1h because outage drill');
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.megan, 'approve', { requestId: id });
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'active');

    await db.kill();
    const before = h.connector.sent.length;
    await h.say(USERS.adele, 'mine');
    const reply = h.connector.sent
      .slice(before)
      .map((entry) => String(entry.activity.text ?? ''))
      .join('\n');
    assert.match(reply, /temporarily unavailable[\s\S]*Nothing was changed/);

    h.clock.advance(HOUR);
    await assert.rejects(h.runScheduler(), /unavailable|connect|ECONNREFUSED|Server selection/i);
    assert.equal(h.tenant.state.revokeCalls('alex@contoso.com'), 0, 'nothing is revoked without recording it');

    await db.up();
    await h.runScheduler();
    assert.equal((await h.custodian.store.getRequest(id))?.status, 'revoked');
    assert.equal(h.tenant.state.revokeCalls('alex@contoso.com'), 1);
    await h.runScheduler();
    assert.equal(h.tenant.state.revokeCalls('alex@contoso.com'), 1, 'and not twice');
  });
});
