import assert from 'node:assert/strict';
import { recordAdminCmdlet } from '../../../src/local-tenant/admin-audit';
import { useLocalTenant } from '../local-tenant-harness';

const FROM = Date.UTC(2026, 0, 5, 9, 0, 0);
const TO = Date.UTC(2026, 0, 5, 13, 0, 0);

describe('m365/graph/audit-log-search: raw records over a window (admin-audit correlation)', () => {
  const h = useLocalTenant();

  function adminRecord(minutes: number, cmdlet: string): void {
    const s = h.tenant.state;
    s.now = () => FROM + minutes * 60_000;
    recordAdminCmdlet(
      s,
      cmdlet,
      { Identity: 'alex@contoso.com', User: 'diego@contoso.com', AccessRights: ['FullAccess'] },
      { kind: 'user', upn: 'adele@contoso.com' },
    );
  }

  it('reads the records of the asked types and operations in the window, with their audit data, on beta', async () => {
    adminRecord(10, 'Add-MailboxPermission');
    adminRecord(20, 'Set-OrganizationConfig');
    adminRecord(-10, 'Remove-MailboxPermission');
    h.tenant.state.audit.pageSize = 1;
    const result = await h.m365.auditRecords.searchRecords({
      from: FROM,
      to: TO,
      recordTypes: ['exchangeAdmin'],
      operations: ['Add-MailboxPermission', 'Remove-MailboxPermission'],
      maxRecords: 10,
    });
    assert.ok(!('unavailable' in result), JSON.stringify(result));
    assert.equal(result.truncated, false);
    assert.deepEqual(
      result.records.map((r) => [r.operation, r.userId, r.at]),
      [['Add-MailboxPermission', 'adele@contoso.com', FROM + 10 * 60_000]],
    );
    assert.deepEqual(result.records[0].auditData.Parameters, [
      { Name: 'Identity', Value: 'alex@contoso.com' },
      { Name: 'User', Value: 'diego@contoso.com' },
      { Name: 'AccessRights', Value: 'FullAccess' },
    ]);
    assert.equal(h.tenant.state.callCount('audit:v1.0'), 0);
  });

  it('says when it stopped at its maximum, and why a search could not be done', async () => {
    for (let i = 1; i <= 3; i++) adminRecord(i, 'Add-MailboxPermission');
    const capped = await h.m365.auditRecords.searchRecords({ from: FROM, to: TO, recordTypes: ['exchangeAdmin'], maxRecords: 2 });
    assert.ok(!('unavailable' in capped));
    assert.equal(capped.records.length, 2);
    assert.equal(capped.truncated, true);
    h.tenant.state.audit.available = false;
    const refused = await h.m365.auditRecords.searchRecords({ from: FROM, to: TO, recordTypes: ['exchangeAdmin'], maxRecords: 2 });
    assert.ok('unavailable' in refused);
    assert.match(refused.unavailable, /AuditLogsQuery-Exchange\.Read\.All/);
  });
});
