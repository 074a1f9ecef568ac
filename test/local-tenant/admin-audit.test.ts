import assert from 'node:assert/strict';
import { defaultFixture, TenantState } from '../../src/local-tenant';
import { recordAdminCmdlet, rogueFullAccess } from '../../src/local-tenant/admin-audit';
import { loadFixture } from '../../src/local-tenant/fixture';
import { rogueAdminCommand } from '../../src/local/rogue-admin';

describe('local tenant: the Exchange admin audit log', () => {
  function state(): TenantState {
    const s = new TenantState(loadFixture(defaultFixture()));
    s.now = () => Date.UTC(2026, 10, 27, 10);
    return s;
  }

  it('writes an ExchangeAdmin record with Name/Value parameters under the caller, the app by its AppId', () => {
    const s = state();
    const record = recordAdminCmdlet(
      s,
      'Set-Mailbox',
      { Identity: 'Alex', GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', Add: ['diego@contoso.com'] } },
      { kind: 'app', appId: s.app.clientId },
    );
    assert.equal(record.auditLogRecordType, 'exchangeAdmin');
    assert.equal(record.objectId, 'alex@contoso.com');
    assert.equal(record.auditData.AppId, s.app.clientId);
    assert.deepEqual(record.auditData.Parameters, [
      { Name: 'Identity', Value: 'Alex' },
      { Name: 'GrantSendOnBehalfTo', Value: '@{Add=diego@contoso.com}' },
    ]);
    assert.equal(record.createdDateTime, '2026-11-27T10:00:00.000Z');
  });

  it('lets the rogue admin grant FullAccess directly, audited under their name, and arriving late when told to', () => {
    const s = state();
    s.audit.arrivalDelayMs = 60_000;
    const record = rogueFullAccess(s, 'adele@contoso.com', 'adele@contoso.com', 'alex@contoso.com');
    assert.ok(s.mailbox('alex@contoso.com')!.fullAccess.has('adele@contoso.com'));
    assert.equal(record.userPrincipalName, 'adele@contoso.com');
    assert.equal(record.auditData.AppId, '');
    assert.equal(record.availableAt, Date.UTC(2026, 10, 27, 10) + 60_000);
  });

  it('answers the demo command, naming what was wrong', () => {
    const tenant = { state: state() } as Parameters<typeof rogueAdminCommand>[0];
    assert.equal(rogueAdminCommand(tenant, 'help'), undefined);
    assert.match(rogueAdminCommand(tenant, 'rogue-admin adele@contoso.com')!, /^Usage: rogue-admin/);
    assert.match(rogueAdminCommand(tenant, 'rogue-admin nobody@contoso.com alex@contoso.com')!, /No user nobody@contoso.com/);
    assert.match(rogueAdminCommand(tenant, 'rogue-admin adele@contoso.com alex@contoso.com')!, /now holds FullAccess on alex@contoso.com/);
  });
});
