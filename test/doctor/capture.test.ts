import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capture } from '../../src/doctor/capture';
import { placeholderFor, scrubText, shapeOf, shapeOfBody } from '../../src/doctor/capture-shape';
import { doctorMain } from '../../src/doctor/doctor-main';
import { startLocalTenant, type LocalTenant } from '../../src/local-tenant';
import { createM365, m365ConfigForLocalTenant } from '../../src/m365/connect';
import { silentLogger } from '../../src/shared/logger';

describe('doctor --capture', () => {
  let tenant: LocalTenant;
  beforeEach(async () => {
    tenant = await startLocalTenant();
  });
  afterEach(async () => tenant.close());

  async function captured() {
    const cfg = { ...m365ConfigForLocalTenant(tenant), callBudgetMs: 2_000 };
    const m365 = await createM365(cfg, silentLogger);
    try {
      return await capture(m365, cfg);
    } finally {
      await m365.close();
    }
  }

  it('records every read-only call with status, headers and shape, and nothing that identifies a person or the tenant', async () => {
    const result = await captured();
    assert.deepEqual(
      result.answers.map((a) => a.match[0]),
      ['graph:user', 'graph:users', 'graph:manager', 'graph:checkMemberGroups', 'graph:mailboxSettings', 'audit:list', 'audit:list'].concat(
        [
          'Get-Mailbox',
          'Get-MailboxPermission',
          'Get-MailboxFolderStatistics',
          'Get-MailboxFolderPermission',
          'Get-RecipientPermission',
          'Get-OrganizationConfig',
          'Get-MailboxAuditBypassAssociation',
        ].map((c) => `exchange:${c}`),
      ),
    );
    const text = JSON.stringify(result);
    for (const secret of [
      tenant.tenantId,
      tenant.clientId,
      'contoso',
      'Custodian Service',
      'a0000000-0000-4000-8000-00000000000a',
      '127.0.0.1',
    ]) {
      assert.ok(!text.includes(secret), `the capture contains ${secret}`);
    }
    const mailbox = result.answers.find((a) => a.match[0] === 'exchange:Get-Mailbox')!;
    assert.equal(mailbox.status, 200);
    assert.equal((mailbox.body as { value: Array<Record<string, unknown>> }).value[0].UserPrincipalName, '<address>');
    assert.equal((mailbox.body as { value: Array<Record<string, unknown>> }).value[0].AuditEnabled, true);
    const v1 = result.answers.find((a) => a.call.startsWith('GET /v1.0/security'))!;
    assert.equal(v1.status, 404);
    assert.equal((v1.body as { error: { code: string } }).error.code, 'UnknownError');
    assert.ok(
      !(result.tokens?.graph as { roles: string[] }).roles.includes('Mail.Send'),
      'the token claims are kept as roles, scrubbed elsewhere',
    );
    assert.equal(tenant.state.sentMails.length, 0, 'a capture sends nothing');
    assert.equal(tenant.state.grantCallsByMailbox.size + tenant.state.revokeCallsByMailbox.size, 0, 'and changes nothing');
  });

  it('records a cmdlet outside the role as a 403 with a NUL body, and the Norwegian inbox by name', async () => {
    tenant.state.app.forbiddenCmdlets.add('Get-RecipientPermission');
    tenant.state.app.serviceMailbox = 'kari@contoso.com';
    const cfg = { ...m365ConfigForLocalTenant(tenant), serviceMailbox: 'kari@contoso.com', callBudgetMs: 2_000 };
    const m365 = await createM365(cfg, silentLogger);
    const result = await capture(m365, cfg).finally(() => m365.close());
    const recipient = result.answers.find((a) => a.match[0] === 'exchange:Get-RecipientPermission')!;
    assert.equal(recipient.status, 403);
    assert.deepEqual(recipient.body, { $nonJson: { length: 4096, nul: true, html: false } });
    const stats = result.answers.find((a) => a.match[0] === 'exchange:Get-MailboxFolderStatistics')!;
    assert.equal((stats.body as { value: Array<Record<string, unknown>> }).value[0].Name, 'Innboks');
    const folder = result.answers.find((a) => a.match[0] === 'exchange:Get-MailboxFolderPermission')!;
    assert.equal(folder.status, 200, 'the folder permissions were read on Innboks, found by type');
  });

  it('writes the file from the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capture-'));
    try {
      const file = join(dir, 'shapes.json');
      const out: string[] = [];
      assert.equal(await doctorMain(['--local-tenant', '--capture', file], {}, (t) => out.push(t)), 0, out.join('\n'));
      const written = JSON.parse(readFileSync(file, 'utf8')) as { format: string; answers: unknown[] };
      assert.equal(written.format, 'custodian-capture/1');
      assert.equal(written.answers.length, 14);
      assert.equal(await doctorMain(['--capture'], {}, () => undefined), 2, '--capture needs a file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('capture shapes', () => {
  it('keeps keys, types, codes and messages, and replaces identifying values by their kind', () => {
    assert.deepEqual(
      shapeOf({
        UserPrincipalName: 'kari@contoso.com',
        ExternalDirectoryObjectId: 'a0000000-0000-4000-8000-00000000000b',
        DisplayName: 'Kari Nordmann',
        User: 'NT AUTHORITY\\SELF',
        Holder: 'S-1-5-21-1-2-3-1004',
        AuditEnabled: false,
        ItemsInFolder: 3,
        AccessRights: ['FullAccess, ReadPermission'],
        Identity: 'kari@contoso.com:\\Innboks',
        error: { code: 'NotFound', message: "The operation couldn't be performed because 'kari@contoso.com:\\Inbox' couldn't be found." },
      }),
      {
        UserPrincipalName: '<address>',
        ExternalDirectoryObjectId: '<guid>',
        DisplayName: '<name>',
        User: 'NT AUTHORITY\\SELF',
        Holder: '<sid>',
        AuditEnabled: false,
        ItemsInFolder: 3,
        AccessRights: ['FullAccess, ReadPermission'],
        Identity: '<address>:\\Innboks',
        error: { code: 'NotFound', message: "The operation couldn't be performed because '<address>:\\Inbox' couldn't be found." },
      },
    );
    assert.equal(scrubText("no settings of 'kari' have been modified"), "no settings of '<name>' have been modified");
    assert.equal(placeholderFor('https://graph.microsoft.com/v1.0/x'), '<url>');
    assert.deepEqual(shapeOf([{ a: 'x' }, { a: 'y' }, { a: 1 }]), [{ a: '<name>' }, { a: 1 }], 'arrays keep their distinct shapes');
    assert.deepEqual(shapeOfBody('\u0000'.repeat(10)), { $nonJson: { length: 10, nul: true, html: false } });
    assert.deepEqual(shapeOfBody('<html>bad gateway</html>'), { $nonJson: { length: 24, nul: false, html: true } });
    assert.equal(shapeOfBody(''), null);
  });
});
