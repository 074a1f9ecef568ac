import assert from 'node:assert/strict';
import { ACCESS_LEVELS } from '../../../src/domain/access-level';
import { ExchangeError, type PermissionTarget } from '../../../src/m365/exchange';
import { defaultFixture } from '../../../src/local-tenant';
import { ExchangeHttpError } from '../../../src/m365/exchange-online/admin-api-errors';
import { useLocalTenant } from '../local-tenant-harness';

const alex = 'alex@contoso.com';
const adele = 'adele@contoso.com';

describe('m365/exchange-online/exchange-online-admin against the local tenant', () => {
  describe('grant and revoke', () => {
    const h = useLocalTenant();
    const perms = () => h.tenant.state.permissionsOf(alex);

    it('grants FullAccess without auto-mapping, confirms it, and revokes it', async () => {
      const target: PermissionTarget = { mailbox: alex, grantee: adele, access: 'FullAccess' };
      await h.m365.exchange.grant(target);
      assert.deepEqual(perms(), [{ grantee: adele, kind: 'FullAccess' }]);
      await h.m365.exchange.revoke(target);
      assert.deepEqual(perms(), []);
      assert.equal(h.tenant.state.grantCalls(alex), 1);
      assert.equal(h.tenant.state.revokeCalls(alex), 1);
      // FullAccess goes through the beta InvokeCommand endpoint; the read-back follows each change.
      assert.equal(h.tenant.state.callCount('exchange:Add-MailboxPermission'), 1);
      assert.ok(h.tenant.state.callCount('exchange:Get-MailboxPermission') >= 2);
    });

    it('grants Reviewer on a folder and revokes it', async () => {
      const target: PermissionTarget = { mailbox: alex, grantee: adele, access: 'ReadFolder', folder: 'Inbox' };
      await h.m365.exchange.grant(target);
      assert.deepEqual(perms(), [{ grantee: adele, kind: 'Folder', folder: 'Inbox', role: 'Reviewer' }]);
      await h.m365.exchange.revoke(target);
      assert.deepEqual(perms(), []);
    });

    it('defaults ReadFolder to the Inbox and accepts other folders', async () => {
      await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'ReadFolder' });
      await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'ReadFolder', folder: 'Sent Items' });
      assert.deepEqual(
        perms().map((p) => p.folder),
        ['Inbox', 'Sent Items'],
      );
    });

    it('grants Calendar on the calendar found by type, whatever folder was named, and revokes it', async () => {
      const kari = 'kari@contoso.com';
      const result = await h.m365.exchange.grant({ mailbox: kari, grantee: adele, access: 'Calendar', folder: 'Inbox' });
      assert.deepEqual(result, { folder: 'Kalender' });
      assert.deepEqual(h.tenant.state.permissionsOf(kari), [{ grantee: adele, kind: 'Folder', folder: 'Calendar', role: 'Reviewer' }]);
      await h.m365.exchange.revoke({ mailbox: kari, grantee: adele, access: 'Calendar', folder: 'Kalender' });
      assert.deepEqual(h.tenant.state.permissionsOf(kari), []);
    });

    it('adds and removes a SendOnBehalf delegate without touching the others', async () => {
      h.tenant.state.seedPermission({ mailbox: alex, grantee: 'nestor@contoso.com', kind: 'SendOnBehalf' });
      await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'SendOnBehalf' });
      assert.deepEqual([...h.tenant.state.mailbox(alex)!.sendOnBehalf].sort(), [adele, 'nestor@contoso.com']);
      await h.m365.exchange.revoke({ mailbox: alex, grantee: adele, access: 'SendOnBehalf' });
      assert.deepEqual([...h.tenant.state.mailbox(alex)!.sendOnBehalf], ['nestor@contoso.com']);
    });

    it('a presence check and the permission listing after it share one Get-Mailbox; a change in between is read fresh', async () => {
      h.tenant.state.seedPermission({ mailbox: alex, grantee: 'nestor@contoso.com', kind: 'SendOnBehalf' });
      h.tenant.state.askedFor = new Map();
      assert.equal(await h.m365.exchange.hasMailbox(alex), true);
      const listed = await h.m365.exchange.listPermissions(alex);
      assert.deepEqual(
        listed.filter((entry) => entry.kind === 'SendOnBehalf').map((entry) => entry.grantee),
        ['nestor@contoso.com'],
      );
      // Only alex's mailbox counts: resolving the delegate's name to an address is a look-up of its own.
      const getMailbox = [...h.tenant.state.askedFor.entries()].filter(([what]) =>
        what.startsWith(`exchange:Get-Mailbox exchange-mailbox:${alex} `),
      );
      assert.deepEqual(
        getMailbox.map(([, count]) => count),
        [1],
      );

      assert.equal(await h.m365.exchange.hasMailbox(alex), true);
      await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'SendOnBehalf' });
      const after = await h.m365.exchange.listPermissions(alex);
      assert.deepEqual(
        after
          .filter((entry) => entry.kind === 'SendOnBehalf')
          .map((entry) => entry.grantee)
          .sort(),
        [adele, 'nestor@contoso.com'],
      );
      assert.equal(await h.m365.exchange.hasMailbox('grady@contoso.com'), false, 'no mailbox');
      h.tenant.state.askedFor = undefined;
    });

    for (const access of ACCESS_LEVELS) {
      it(`is idempotent for ${access}: grant twice and revoke twice all succeed`, async () => {
        const target: PermissionTarget = { mailbox: alex, grantee: adele, access };
        await h.m365.exchange.grant(target);
        await h.m365.exchange.grant(target);
        assert.equal(perms().length, 1);
        await h.m365.exchange.revoke(target);
        await h.m365.exchange.revoke(target);
        assert.deepEqual(perms(), []);
        assert.equal(h.tenant.state.grantCalls(alex), 2);
        assert.equal(h.tenant.state.revokeCalls(alex), 2);
      });
    }

    it('refuses to overwrite a different folder role someone already holds', async () => {
      h.tenant.state.seedPermission({ mailbox: alex, grantee: adele, kind: 'Folder', folder: 'Inbox', role: 'Editor' });
      const err = await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'ReadFolder' }).catch((e: unknown) => e);
      assert.ok(err instanceof ExchangeError);
      assert.equal(err.code, 'conflictingPermission');
      assert.deepEqual(perms(), [{ grantee: adele, kind: 'Folder', folder: 'Inbox', role: 'Editor' }]);
    });

    it('never reports success when Exchange answered OK but the change did not happen', async () => {
      h.tenant.faults.ignore({ route: 'exchange:Add-MailboxPermission' });
      const err = await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'FullAccess' }).catch((e: unknown) => e);
      assert.ok(err instanceof ExchangeError);
      assert.equal(err.code, 'notConfirmed');
      assert.deepEqual(perms(), []);
    });

    it('reports a revocation that did not take effect', async () => {
      await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'SendOnBehalf' });
      h.tenant.faults.ignore({ route: 'exchange:Set-Mailbox' });
      const err = await h.m365.exchange.revoke({ mailbox: alex, grantee: adele, access: 'SendOnBehalf' }).catch((e: unknown) => e);
      assert.ok(err instanceof ExchangeError);
      assert.equal(err.code, 'notConfirmed');
      assert.equal(perms().length, 1);
    });

    it('names a mailbox Exchange does not know', async () => {
      const err = await h.m365.exchange
        .grant({ mailbox: 'ghost@contoso.com', grantee: adele, access: 'FullAccess' })
        .catch((e: unknown) => e);
      assert.ok(err instanceof ExchangeError);
      assert.equal(err.code, 'ManagementObjectNotFoundException');
      assert.match(err.message, /ghost@contoso\.com/);
      assert.equal(err.transient, false);
    });

    it('rejects bad targets before calling Exchange', async () => {
      await assert.rejects(
        h.m365.exchange.grant({ mailbox: 'alex', grantee: adele, access: 'FullAccess' }),
        /mailbox must be an e-mail address/,
      );
      await assert.rejects(
        h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'Owner' as never }),
        /Unknown access level "Owner"/,
      );
      await assert.rejects(h.m365.exchange.grant({ mailbox: alex, grantee: alex, access: 'FullAccess' }), /own mailbox/);
      await assert.rejects(
        h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'ReadFolder', folder: 'a:\\b' }),
        /not a valid folder name/,
      );
      assert.equal(h.tenant.state.callCount('exchange'), 0);
    });

    it('fails clearly when the app holds no Exchange role (403 with a NUL-byte body)', async () => {
      h.tenant.state.app.exchangeRoleAssigned = false;
      const err = await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'FullAccess' }).catch((e: unknown) => e);
      assert.ok(err instanceof ExchangeError);
      assert.equal(err.code, 'cmdletNotPermitted');
      assert.match(err.message, /this app may not run Add-MailboxPermission/);
      assert.ok(!err.message.includes('\u0000'), 'no raw NUL bytes in the message');
    });

    it('fails clearly when the app holds no Exchange role (polite: CommandNotFoundException)', async () => {
      h.tenant.state.app.exchangeRoleAssigned = false;
      h.tenant.state.realism.forbiddenCmdlet = 'commandNotFound';
      const err = await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'FullAccess' }).catch((e: unknown) => e);
      assert.ok(err instanceof ExchangeError);
      assert.equal(err.code, 'CommandNotFoundException');
      assert.match(err.message, /Add-MailboxPermission/);
    });
  });

  describe('reading', () => {
    const h = useLocalTenant();

    it('lists standing permissions of every kind, named by UPN', async () => {
      const s = h.tenant.state;
      s.seedPermission({ mailbox: alex, grantee: 'megan@contoso.com', kind: 'SendAs' });
      s.seedPermission({ mailbox: alex, grantee: 'nestor@contoso.com', kind: 'SendOnBehalf' });
      s.seedPermission({ mailbox: alex, grantee: 'lynne@contoso.com', kind: 'Folder', folder: 'Inbox', role: 'Reviewer' });
      s.seedPermission({ mailbox: alex, grantee: 'johanna@contoso.com', kind: 'FullAccess' });
      const entries = await h.m365.exchange.listPermissions(alex);
      assert.deepEqual(
        entries.sort((a, b) => a.kind.localeCompare(b.kind)),
        [
          { grantee: 'lynne@contoso.com', kind: 'Folder', folder: 'Inbox', role: 'Reviewer' },
          { grantee: 'johanna@contoso.com', kind: 'FullAccess' },
          { grantee: 'megan@contoso.com', kind: 'SendAs' },
          { grantee: 'nestor@contoso.com', kind: 'SendOnBehalf' },
        ],
      );
    });

    it('reads the folders the access levels default to, by type, and skips the built-in Default and Anonymous entries', async () => {
      const kari = 'kari@contoso.com';
      h.tenant.state.seedPermission({ mailbox: kari, grantee: 'lynne@contoso.com', kind: 'Folder', folder: 'Calendar', role: 'Reviewer' });
      h.tenant.state.seedPermission({ mailbox: kari, grantee: 'diego@contoso.com', kind: 'Folder', folder: 'Inbox', role: 'Editor' });
      assert.deepEqual(await h.m365.exchange.listPermissions(kari), [
        { grantee: 'diego@contoso.com', kind: 'Folder', folder: 'Innboks', role: 'Editor' },
        { grantee: 'lynne@contoso.com', kind: 'Folder', folder: 'Kalender', role: 'Reviewer' },
      ]);
      assert.equal(h.tenant.state.callCount('exchange:Get-MailboxFolderPermission'), 2);
    });

    it('removes a listed calendar permission, and refuses a folder entry that names no folder before calling Exchange', async () => {
      const kari = 'kari@contoso.com';
      h.tenant.state.seedPermission({ mailbox: kari, grantee: 'lynne@contoso.com', kind: 'Folder', folder: 'Calendar', role: 'Editor' });
      const [entry] = await h.m365.exchange.listPermissions(kari);
      await h.m365.exchange.removePermission(kari, entry);
      assert.deepEqual(h.tenant.state.permissionsOf(kari), []);
      h.tenant.state.resetCounters();
      await assert.rejects(
        h.m365.exchange.removePermission(kari, { grantee: 'lynne@contoso.com', kind: 'Folder', role: 'Editor' }),
        /not a valid folder name/,
      );
      assert.equal(h.tenant.state.callCount('exchange'), 0);
    });

    it("finds the fixture's standing FullAccess of Johanna on Isaiah's mailbox", async () => {
      assert.deepEqual(await h.m365.exchange.listPermissions('isaiah@contoso.com'), [
        { grantee: 'johanna@contoso.com', kind: 'FullAccess' },
      ]);
      assert.deepEqual(await h.m365.exchange.listPermissions(alex), []);
    });

    it('reports mailbox auditing per mailbox', async () => {
      assert.equal(await h.m365.exchange.isAuditEnabled(alex), true);
      assert.equal(await h.m365.exchange.isAuditEnabled('isaiah@contoso.com'), false);
      await assert.rejects(h.m365.exchange.isAuditEnabled('grady@contoso.com'), ExchangeError);
    });
  });

  describe('paging', () => {
    const h = useLocalTenant({ tenant: { fixture: defaultFixture({ extraMailboxes: 2_000 }) } });

    it('lists every mailbox across pages', async () => {
      const all = await h.m365.exchange.listMailboxes();
      assert.equal(all.length, 2_010);
      assert.ok(all.includes('user02000@contoso.com'));
      assert.equal(h.tenant.state.callCount('exchange:Get-Mailbox'), 3, '1000 per page');
    });
  });

  describe('throttling and failures', () => {
    const h = useLocalTenant({ config: { callBudgetMs: 3_000, requestTimeoutMs: 600 } });

    it('waits the Retry-After of a 429 on the grant and succeeds within the budget', async () => {
      h.tenant.faults.throttle({ route: 'exchange:Add-MailboxPermission', retryAfterSeconds: 1 });
      const started = Date.now();
      await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'FullAccess' });
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 950 && elapsed < 3_000, `took ${elapsed} ms`);
      assert.ok(h.waits.includes(1_000));
      assert.equal(h.tenant.state.permissionsOf(alex).length, 1);
    });

    it('retries 500s and a dropped connection', async () => {
      h.tenant.faults.fail({ route: 'exchange:Set-Mailbox' }).drop({ route: 'exchange:Get-Mailbox' });
      await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'SendOnBehalf' });
      assert.deepEqual([...h.tenant.state.mailbox(alex)!.sendOnBehalf], [adele]);
      assert.equal(h.tenant.faults.applied.error, 1);
      assert.equal(h.tenant.faults.applied.drop, 1);
    });

    it('gives up with a transient ExchangeError when Exchange keeps failing, within the budget', async () => {
      h.tenant.faults.fail({ route: 'exchange:Add-MailboxFolderPermission', status: 503, times: Infinity });
      const started = Date.now();
      const err = await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'ReadFolder' }).catch((e: unknown) => e);
      assert.ok(err instanceof ExchangeHttpError);
      assert.equal(err.status, 503);
      assert.equal(err.transient, true);
      assert.ok(Date.now() - started < 3_800);
      assert.deepEqual(h.tenant.state.permissionsOf(alex), []);
    });

    it('times out a slow answer', async () => {
      h.tenant.faults.slow({ route: 'exchange:Get-MailboxAuditBypassAssociation', delayMs: 1_500, times: Infinity });
      const err = await h.m365.exchange.isAuditEnabled(alex).catch((e: unknown) => e);
      assert.ok(err instanceof ExchangeError);
      assert.equal(err.code, 'timeout');
    });

    it('refuses a malformed answer', async () => {
      h.tenant.faults.malformed({ route: 'exchange:Get-OrganizationConfig' });
      const err = await h.m365.exchange.isAuditEnabled(alex).catch((e: unknown) => e);
      assert.ok(err instanceof ExchangeError);
      assert.equal(err.code, 'malformedResponse');
    });
  });
});
