import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Harness, SECURITY_CHANNEL, USERS, cardText } from '../../support/harness';
import { assertValidCard } from '../../teams/cards/card-checks';

// The harness clock starts on Friday 2026-11-27 09:00 UTC.
describe('the audit report in Teams and as a monthly file', function () {
  let h: Harness;
  let reportDir: string;

  beforeEach(async () => {
    reportDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-monthly-')), 'reports');
    h = await Harness.start({ env: { CUSTODIAN_REPORT_DIR: reportDir, CUSTODIAN_SWEEP_MAILBOXES: 'custodian@contoso.com' } });
    await h.registerChannels();
    await h.say(USERS.adele, 'request alex@contoso.com ticket INC-101 jurisdiction EU access full for 4h because phishing investigation');
    const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)))![0];
    await h.click(USERS.megan, 'approve', { requestId: id });
  });
  afterEach(async () => {
    await h.stop();
    fs.rmSync(path.dirname(reportDir), { recursive: true, force: true });
  });

  it('"report 2026-11" answers the security role with the headline figures and how to get the full report', async () => {
    await h.say(USERS.megan, 'report 2026-11');
    const card = h.personalCards(USERS.megan).at(-1)!;
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /Mailbox access in 2026-11/);
    assert.match(text, /Audit chain verified/);
    assert.match(text, /Grants\n1/);
    assert.match(text, /High-impact\n1 \(100%\)/);
    assert.match(text, /npm run audit -- report --from 2026-11-01 --to 2026-12-01 --out report\.html/);
    assert.ok(text.includes(path.join(reportDir, 'custodian-report-2026-11.html')));
    const queried = (await h.custodian.store.listAudit({})).filter((event) => event.type === 'report.queried');
    assert.deepEqual(
      queried.map((event) => [event.actor.aadObjectId, event.details.month]),
      [[USERS.megan.aadObjectId, '2026-11']],
    );
  });

  it('refuses anyone outside the security role, and audits the refusal', async () => {
    await h.say(USERS.adele, 'report last month');
    assert.match(h.personalTexts(USERS.adele).at(-1)!, /Only members of the security role can see the audit report/);
    const refused = (await h.custodian.store.listAudit({})).filter((event) => event.type === 'refused.report');
    assert.equal(refused.length, 1);
    await h.say(USERS.megan, 'report 2027-05');
    assert.match(h.personalTexts(USERS.megan).at(-1)!, /"2027-05" is not a month that has begun/);
  });

  it('writes the month before to the configured folder on the first, once per firing', async () => {
    h.clock.set(Date.UTC(2026, 11, 1, 6, 0, 5));
    await h.runScheduler();
    await h.runScheduler();
    const html = fs.readFileSync(path.join(reportDir, 'custodian-report-2026-11.html'), 'utf8');
    const json = JSON.parse(fs.readFileSync(path.join(reportDir, 'custodian-report-2026-11.json'), 'utf8'));
    assert.match(html, /Mailbox access report: 2026-11-01 to 2026-11-30/);
    assert.equal(json.figures.grants.total, 1);
    assert.equal(json.chain.verified, true);
    const written = (await h.custodian.store.listAudit({})).filter((event) => event.type === 'report.written');
    assert.equal(written.length, 1, 'one report per firing');
    const told = [...h.connector.texts(SECURITY_CHANNEL), ...h.connector.cards(SECURITY_CHANNEL).map(cardText)];
    assert.ok(
      told.some((text) => text.includes('Monthly audit report for 2026-11 written to')),
      'the security team is told',
    );
  });

  it('puts the same headline figures on the access-review card', async () => {
    h.clock.set(Date.UTC(2026, 10, 30, 8, 0, 5));
    await h.runScheduler();
    await h.custodian.drift.idle();
    const cards = h.connector.cards(SECURITY_CHANNEL);
    const review = cards.map(cardText).find((text) => text.includes('Access review REV-20261130-0800'));
    assert.ok(review, 'the review card was posted');
    assert.match(
      review,
      /The period in figures \(full report: npm run audit -- report --from 2026-11-23T08:00:00Z --to 2026-11-30T08:00:00Z --out report\.html\)/,
    );
    assert.match(review, /Audit chain\nverified/);
    assert.match(review, /Grants\n1/);
  });
});
