import assert from 'node:assert/strict';
import { classifyAdminRecord, describeChange, type AuditEntry } from '../../src/domain/admin-change';
import { nonOwnerAccess, spansByGrantee, traceChange, type GrantSpan } from '../../src/domain/change-trace';

const APP = '11111111-2222-4333-8444-555555555555';

function record(operation: string, params: Record<string, string>, extra: Partial<AuditEntry> = {}, appId = ''): AuditEntry {
  return {
    id: `rec-${operation}`,
    at: Date.UTC(2026, 10, 27, 10),
    operation,
    userId: 'Adele@contoso.com',
    auditData: { AppId: appId, Parameters: Object.entries(params).map(([Name, Value]) => ({ Name, Value })) },
    ...extra,
  };
}

describe('admin-change: what an Exchange admin record did to mailbox access', () => {
  it('reads mailbox, folder and SendAs permission changes from their parameters', () => {
    const [full] = classifyAdminRecord(
      record('Add-MailboxPermission', { Identity: 'Alex@contoso.com', User: 'Diego@contoso.com', AccessRights: 'FullAccess' }),
    );
    assert.deepEqual(
      [full.direction, full.kind, full.mailbox, full.grantee, full.actor],
      ['add', 'FullAccess', 'alex@contoso.com', 'diego@contoso.com', 'adele@contoso.com'],
    );
    assert.equal(describeChange(full), 'gave FullAccess to diego@contoso.com on alex@contoso.com');
    const [read] = classifyAdminRecord(
      record('Add-MailboxPermission', { Identity: 'alex@contoso.com', User: 'diego@contoso.com', AccessRights: 'ReadPermission' }),
    );
    assert.equal(read.kind, 'MailboxRights');
    const [folder] = classifyAdminRecord(
      record('Set-MailboxFolderPermission', { Identity: 'alex@contoso.com:\\Inbox', User: 'diego@contoso.com', AccessRights: 'Editor' }),
    );
    assert.deepEqual([folder.kind, folder.folder, folder.rights], ['Folder', 'Inbox', ['Editor']]);
    const [sendAs] = classifyAdminRecord(
      record('Remove-RecipientPermission', { Identity: 'alex@contoso.com', Trustee: 'diego@contoso.com', AccessRights: 'SendAs' }),
    );
    assert.deepEqual([sendAs.direction, sendAs.kind], ['remove', 'SendAs']);
  });

  it('splits a GrantSendOnBehalfTo hashtable into one change per delegate, and ignores Set-Mailbox that opens nothing', () => {
    const changes = classifyAdminRecord(
      record('Set-Mailbox', { Identity: 'alex@contoso.com', GrantSendOnBehalfTo: '@{Add=diego@contoso.com; Remove=adele@contoso.com}' }),
    );
    assert.deepEqual(
      changes.map((c) => [c.id, c.direction, c.grantee]),
      [
        ['rec-Set-Mailbox#1', 'add', 'diego@contoso.com'],
        ['rec-Set-Mailbox#2', 'remove', 'adele@contoso.com'],
      ],
    );
    assert.deepEqual(classifyAdminRecord(record('Set-Mailbox', { Identity: 'alex@contoso.com', AuditEnabled: 'True' })), []);
  });

  it('sees role assignments that open every mailbox, and not other roles', () => {
    const [role] = classifyAdminRecord(
      record('New-ManagementRoleAssignment', { Role: 'ApplicationImpersonation', User: 'diego@contoso.com' }),
    );
    assert.deepEqual([role.kind, role.mailbox, role.grantee], ['Role', '*', 'diego@contoso.com']);
    assert.deepEqual(
      classifyAdminRecord(record('New-ManagementRoleAssignment', { Role: 'Mail Recipients', User: 'diego@contoso.com' })),
      [],
    );
    assert.deepEqual(classifyAdminRecord(record('Get-Mailbox', { Identity: 'alex@contoso.com' })), []);
  });

  it("traces the app's change to its request, calls other changes by the app a mismatch, and a person's change untraced", () => {
    const span: GrantSpan = {
      requestId: 'CUS-2026-0001',
      mailbox: 'alex@contoso.com',
      grantee: 'diego@contoso.com',
      access: 'FullAccess',
      from: Date.UTC(2026, 10, 27, 9),
      to: null,
    };
    const spans = spansByGrantee([span]);
    const byApp = (identity: string) =>
      classifyAdminRecord(
        record('Add-MailboxPermission', { Identity: identity, User: 'diego@contoso.com', AccessRights: 'FullAccess' }, {}, APP),
      )[0];
    assert.deepEqual(traceChange(byApp('alex@contoso.com'), spans, APP), {
      traced: true,
      requestId: 'CUS-2026-0001',
      note: 'granted for CUS-2026-0001',
    });
    const other = traceChange(byApp('nestor@contoso.com'), spans, APP);
    assert.equal(other.traced, false);
    assert.ok(!other.traced && other.mismatch && other.requestId === 'CUS-2026-0001');
    const before = traceChange({ ...byApp('alex@contoso.com'), at: span.from - 3_600_000 }, spans, APP);
    assert.ok(!before.traced && before.mismatch && before.requestId === undefined, 'before the approval no request explains it');
    const person = traceChange(
      classifyAdminRecord(
        record('Add-MailboxPermission', { Identity: 'alex@contoso.com', User: 'diego@contoso.com', AccessRights: 'FullAccess' }),
      )[0],
      spans,
      APP,
    );
    assert.ok(!person.traced && !person.mismatch);
  });

  it("reads non-owner access from mailbox audit records and skips the owner and Microsoft's own services", () => {
    const entry = (data: Record<string, unknown>, userId = 'diego@contoso.com'): AuditEntry => ({
      id: 'r',
      at: 1,
      operation: 'MailItemsAccessed',
      userId,
      auditData: { MailboxOwnerUPN: 'alex@contoso.com', ...data },
    });
    assert.deepEqual(nonOwnerAccess(entry({ LogonType: 2 })), {
      recordId: 'r',
      at: 1,
      actor: 'diego@contoso.com',
      mailbox: 'alex@contoso.com',
      logon: 'Delegate',
      operation: 'MailItemsAccessed',
    });
    assert.equal(nonOwnerAccess(entry({ LogonType: 1 }))?.logon, 'Admin');
    assert.equal(nonOwnerAccess(entry({ LogonType: 0 })), null);
    assert.equal(nonOwnerAccess(entry({ LogonType: 2 }, 'alex@contoso.com')), null);
    assert.equal(nonOwnerAccess(entry({ LogonType: 1, ExternalAccess: true })), null);
  });
});
