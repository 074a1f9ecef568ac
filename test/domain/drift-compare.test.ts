import assert from 'node:assert/strict';
import { allowedBy, type AllowRule } from '../../src/domain/drift-allow';
import { compareMailbox, explains } from '../../src/domain/drift-compare';
import { permissionKey, type HeldPermission } from '../../src/domain/drift-permission';
import type { AccessRequest } from '../../src/domain/types';
import { ALL_STATUSES, requestIn } from '../support/requests';

// requestIn(): Rita (rita@contoso.com) asked for FullAccess on alice@contoso.com.
const MAILBOX = 'alice@contoso.com';
const RITA = 'rita@contoso.com';

function held(kind: HeldPermission['kind'], overrides: Partial<HeldPermission> = {}): HeldPermission {
  return { mailbox: MAILBOX, grantee: RITA, kind, ...overrides };
}

function grant(status: AccessRequest['status'], overrides: Partial<AccessRequest> = {}): AccessRequest {
  return { ...requestIn(status), ...overrides };
}

describe('drift: which grants explain a permission', () => {
  it('only grants that may hold the permission now (active, granting, revoking) explain it', () => {
    for (const status of ALL_STATUSES) {
      assert.equal(explains(grant(status), held('FullAccess')), ['active', 'granting', 'revoking'].includes(status), status);
    }
  });

  it('needs the same mailbox, holder and level', () => {
    const active = grant('active');
    assert.ok(explains(active, held('FullAccess', { mailbox: 'ALICE@contoso.com', grantee: 'Rita@Contoso.com' })), 'case does not matter');
    assert.ok(!explains(active, held('FullAccess', { mailbox: 'bob@contoso.com' })));
    assert.ok(!explains(active, held('FullAccess', { grantee: 'someone@contoso.com' })));
    assert.ok(!explains(active, held('SendOnBehalf')));
    assert.ok(explains(grant('active', { access: 'SendOnBehalf' }), held('SendOnBehalf')));
  });

  it('never explains SendAs, which Custodian does not grant', () => {
    assert.ok(!explains(grant('active'), held('SendAs')));
  });

  it('explains a folder permission only for the granted folder and the Reviewer role', () => {
    const read = grant('active', { access: 'ReadFolder', folder: 'Inbox' });
    assert.ok(explains(read, held('Folder', { folder: 'Inbox', role: 'Reviewer' })));
    assert.ok(
      explains(grant('active', { access: 'ReadFolder', folder: undefined }), held('Folder', { folder: 'inbox', role: 'Reviewer' })),
      'Inbox is the default folder',
    );
    assert.ok(!explains(read, held('Folder', { folder: 'Sent Items', role: 'Reviewer' })));
    assert.ok(!explains(read, held('Folder', { folder: 'Inbox', role: 'Editor' })), 'Custodian never grants Editor');
    assert.ok(!explains(read, held('Folder', { folder: 'Inbox', role: 'Reviewer,Editor' })));
  });
});

describe('drift: comparing a mailbox', () => {
  const rules: AllowRule[] = [
    { mailbox: 'frontdesk@contoso.com', grantee: '*', kind: '*', reason: 'shared mailbox', source: 'file allow[0]' },
    { mailbox: '*', grantee: 'backup@contoso.com', kind: 'FullAccess', reason: 'backup service', source: 'file allow[1]' },
    {
      mailbox: MAILBOX,
      grantee: 'assistant@contoso.com',
      kind: 'Folder',
      folder: 'Calendar',
      reason: 'assistant',
      source: 'file allow[2]',
    },
  ];

  it('ignores the owner, NT AUTHORITY\\SELF, well-known SIDs and the folder defaults', () => {
    const builtIn = [
      held('FullAccess', { grantee: 'NT AUTHORITY\\SELF' }),
      held('SendAs', { grantee: MAILBOX }),
      held('Folder', { grantee: 'Default', folder: 'Calendar', role: 'AvailabilityOnly' }),
      held('Folder', { grantee: 'Anonymous', role: 'None' }),
      held('FullAccess', { grantee: 'S-1-5-21-1-2-3-500' }),
    ];
    assert.deepEqual(compareMailbox(builtIn, [], []), { unexplained: [], explained: 0, allowed: 0 });
  });

  it('sorts the rest into explained, allowed and findings', () => {
    const permissions = [
      held('FullAccess'),
      held('SendAs'),
      held('FullAccess', { grantee: 'backup@contoso.com' }),
      held('Folder', { grantee: 'assistant@contoso.com', folder: 'Calendar', role: 'Editor' }),
      held('Folder', { grantee: 'assistant@contoso.com', folder: 'Inbox', role: 'Editor' }),
      held('SendOnBehalf', { grantee: 'johanna@contoso.com' }),
    ];
    const result = compareMailbox(permissions, [grant('active')], rules);
    assert.equal(result.explained, 1);
    assert.equal(result.allowed, 2);
    assert.deepEqual(
      result.unexplained.map((p) => `${p.grantee} ${p.kind} ${p.folder ?? ''}`.trim()),
      ['rita@contoso.com SendAs', 'assistant@contoso.com Folder Inbox', 'johanna@contoso.com SendOnBehalf'],
    );
  });

  it('allow rules match exactly or by "*", and folder rules only their folder', () => {
    assert.equal(
      allowedBy({ mailbox: 'frontdesk@contoso.com', grantee: 'anyone@contoso.com', kind: 'SendAs' }, rules)?.source,
      'file allow[0]',
    );
    assert.equal(
      allowedBy({ mailbox: 'x@contoso.com', grantee: 'BACKUP@contoso.com', kind: 'FullAccess' }, rules)?.source,
      'file allow[1]',
    );
    assert.equal(allowedBy({ mailbox: 'x@contoso.com', grantee: 'backup@contoso.com', kind: 'SendAs' }, rules), undefined);
    assert.equal(
      allowedBy({ mailbox: MAILBOX, grantee: 'assistant@contoso.com', kind: 'Folder', folder: '\\Calendar' }, rules)?.source,
      'file allow[2]',
    );
  });

  it('keys a permission by mailbox, holder, kind and folder, whatever the case', () => {
    assert.equal(
      permissionKey(held('Folder', { folder: 'Inbox', role: 'Reviewer' })),
      permissionKey(held('Folder', { mailbox: 'Alice@Contoso.com', folder: 'INBOX', role: 'Editor' })),
    );
    assert.notEqual(permissionKey(held('FullAccess')), permissionKey(held('SendAs')));
    assert.notEqual(permissionKey(held('Folder', { folder: 'Inbox' })), permissionKey(held('Folder', { folder: 'Calendar' })));
  });
});
