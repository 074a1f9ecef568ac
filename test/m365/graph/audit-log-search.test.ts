import assert from 'node:assert/strict';
import { isActivityUnavailable, type ActivitySummary } from '../../../src/m365/activity-search';
import { useLocalTenant } from '../local-tenant-harness';

const FROM = Date.UTC(2026, 0, 5, 9, 0, 0);
const TO = Date.UTC(2026, 0, 5, 13, 0, 0);
const at = (minutes: number) => new Date(FROM + minutes * 60_000).toISOString();

describe('m365/graph/audit-log-search against the local tenant', () => {
  const h = useLocalTenant();

  function seed(): void {
    const s = h.tenant.state;
    const rec = (minutes: number, operation: string, user: string, owner: string, type = 'exchangeItem') =>
      s.addAuditRecord({
        createdDateTime: at(minutes),
        operation,
        userPrincipalName: user,
        mailboxOwnerUPN: owner,
        auditLogRecordType: type,
      });
    rec(10, 'MailItemsAccessed', 'adele@contoso.com', 'alex@contoso.com', 'exchangeItemAggregated');
    rec(20, 'MailItemsAccessed', 'adele@contoso.com', 'alex@contoso.com', 'exchangeItemAggregated');
    rec(45, 'Send', 'adele@contoso.com', 'alex@contoso.com');
    rec(30, 'MailItemsAccessed', 'adele@contoso.com', 'diego@contoso.com', 'exchangeItemAggregated'); // another mailbox
    rec(30, 'MailItemsAccessed', 'megan@contoso.com', 'alex@contoso.com', 'exchangeItemAggregated'); // another person
    rec(-30, 'HardDelete', 'adele@contoso.com', 'alex@contoso.com'); // before the window
  }

  it('summarises what the grantee did in that mailbox during the window', async () => {
    seed();
    const result = await h.m365.activity.summarize({ mailbox: 'alex@contoso.com', grantee: 'adele@contoso.com', from: FROM, to: TO });
    assert.ok(!isActivityUnavailable(result), JSON.stringify(result));
    const summary = result as ActivitySummary;
    assert.equal(summary.recordCount, 3);
    assert.deepEqual(summary.operations, { MailItemsAccessed: 2, Send: 1 });
    assert.equal(summary.firstActivityAt, Date.parse(at(10)));
    assert.equal(summary.lastActivityAt, Date.parse(at(45)));
    // create, at least one poll, records
    assert.equal(h.tenant.state.callCount('audit:create'), 1);
    assert.ok(h.tenant.state.callCount('audit:poll') >= 2);
  });

  it('follows @odata.nextLink through every page of records', async () => {
    h.tenant.state.audit.pageSize = 2;
    for (let i = 0; i < 7; i++) {
      h.tenant.state.addAuditRecord({
        createdDateTime: at(i),
        operation: 'MailItemsAccessed',
        userPrincipalName: 'adele@contoso.com',
        mailboxOwnerUPN: 'alex@contoso.com',
        auditLogRecordType: 'exchangeItemAggregated',
      });
    }
    const result = (await h.m365.activity.summarize({
      mailbox: 'alex@contoso.com',
      grantee: 'adele@contoso.com',
      from: FROM,
      to: TO,
    })) as ActivitySummary;
    assert.equal(result.recordCount, 7);
    assert.equal(h.tenant.state.callCount('audit:records'), 4);
  });

  it('reports no activity as a summary with zero records', async () => {
    const result = (await h.m365.activity.summarize({
      mailbox: 'alex@contoso.com',
      grantee: 'adele@contoso.com',
      from: FROM,
      to: TO,
    })) as ActivitySummary;
    assert.equal(result.recordCount, 0);
    assert.deepEqual(result.operations, {});
    assert.equal(result.firstActivityAt, undefined);
  });

  it('gives up with a reason when Purview does not finish within the poll budget', async () => {
    h.tenant.state.audit.pollsBeforeDone = Infinity;
    const started = Date.now();
    const result = await h.m365.activity.summarize({ mailbox: 'alex@contoso.com', grantee: 'adele@contoso.com', from: FROM, to: TO });
    assert.ok(isActivityUnavailable(result));
    assert.match(result.unavailable, /did not finish within 2 s \(last status: running\)/);
    assert.ok(Date.now() - started < 3_000);
    // Polls back off: 20, 40, 80, 80 ... ms
    assert.deepEqual(h.waits.slice(0, 4), [20, 40, 80, 80]);
  });

  it('reports a failed query', async () => {
    h.tenant.state.audit.outcome = 'failed';
    const result = await h.m365.activity.summarize({ mailbox: 'alex@contoso.com', grantee: 'adele@contoso.com', from: FROM, to: TO });
    assert.ok(isActivityUnavailable(result));
    assert.match(result.unavailable, /failed/);
  });

  it('explains a missing permission in plain words instead of throwing', async () => {
    h.tenant.state.audit.available = false;
    const result = await h.m365.activity.summarize({ mailbox: 'alex@contoso.com', grantee: 'adele@contoso.com', from: FROM, to: TO });
    assert.ok(isActivityUnavailable(result));
    assert.match(result.unavailable, /AuditLogsQuery-Exchange\.Read\.All/);
  });

  it('refuses a window that ends before it starts', async () => {
    await assert.rejects(
      h.m365.activity.summarize({ mailbox: 'alex@contoso.com', grantee: 'adele@contoso.com', from: TO, to: FROM }),
      /"from" must be before "to"/,
    );
  });
});
