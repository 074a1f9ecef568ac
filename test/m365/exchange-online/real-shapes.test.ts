import assert from 'node:assert/strict';
import { POLITE, REALISTIC, type Realism } from '../../../src/local-tenant';
import { ExchangeError } from '../../../src/m365/exchange';
import { useLocalTenant } from '../local-tenant-harness';

// Contract tests: each connector behaviour against the simulated tenant as real
// tenants answer (real-tenant.md facts 1-15) and, where the old polite answer
// differs, against that too, so that the connectors are proven on both.

const alex = 'alex@contoso.com';
const kari = 'kari@contoso.com';
const adele = 'adele@contoso.com';

for (const [mode, realism] of [
  ['realistic', REALISTIC],
  ['polite', POLITE],
] as [string, Realism][]) {
  describe(`m365 connectors against the ${mode} simulated tenant`, () => {
    const h = useLocalTenant({ tenant: { realism }, fastSleep: true });

    it('grants and revokes FullAccess although the change cmdlets answer without output (fact 1)', async () => {
      await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'FullAccess' });
      assert.ok(h.tenant.state.mailbox(alex)!.fullAccess.has(adele));
      await h.m365.exchange.revoke({ mailbox: alex, grantee: adele, access: 'FullAccess' });
      assert.ok(!h.tenant.state.mailbox(alex)!.fullAccess.has(adele));
    });

    it('treats "value": null on a no-output cmdlet as success (fact 1)', async () => {
      h.tenant.state.realism.noOutput = 'null';
      await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'SendOnBehalf' });
      assert.ok(h.tenant.state.mailbox(alex)!.sendOnBehalf.has(adele));
    });

    it('lands a folder grant on the folder of the inbox type, Innboks on a Norwegian mailbox, and removes it (fact 4)', async () => {
      const result = await h.m365.exchange.grant({ mailbox: kari, grantee: adele, access: 'ReadFolder', folder: 'Inbox' });
      assert.equal(result.folder, realism.localizedFolders ? 'Innboks' : 'Inbox');
      assert.equal(h.tenant.state.mailbox(kari)!.folders.get('Inbox')?.get(adele), 'Reviewer');
      const listed = (await h.m365.exchange.listPermissions(kari)).filter((e) => e.kind === 'Folder');
      assert.deepEqual(listed, [{ grantee: adele, kind: 'Folder', folder: result.folder, role: 'Reviewer' }]);
      await h.m365.exchange.revoke({ mailbox: kari, grantee: adele, access: 'ReadFolder', folder: result.folder });
      assert.equal(h.tenant.state.mailbox(kari)!.folders.get('Inbox')?.size ?? 0, 0);
      assert.ok(h.tenant.state.callCount('exchange:Get-MailboxFolderStatistics') >= 1, 'the inbox was found by its type');
    });

    it('reads folder holders given as objects (fact 5)', async () => {
      h.tenant.state.realism.folderHolder = 'object';
      h.tenant.state.seedPermission({ mailbox: alex, grantee: 'diego@contoso.com', kind: 'Folder', folder: 'Inbox', role: 'Editor' });
      const listed = (await h.m365.exchange.listPermissions(alex)).filter((e) => e.kind === 'Folder');
      assert.deepEqual(listed, [{ grantee: 'diego@contoso.com', kind: 'Folder', folder: 'Inbox', role: 'Editor' }]);
      await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'ReadFolder' });
      await h.m365.exchange.revoke({ mailbox: alex, grantee: adele, access: 'ReadFolder' });
      assert.ok(!h.tenant.state.mailbox(alex)!.folders.get('Inbox')?.has(adele));
    });

    it('judges auditing from the organization and the bypass, not from AuditEnabled (fact 6)', async () => {
      assert.equal(h.tenant.state.mailbox(kari)!.auditEnabled, false);
      assert.equal(await h.m365.exchange.isAuditEnabled(kari), true, 'AuditEnabled false, organization auditing on, no bypass');
      assert.equal(await h.m365.exchange.isAuditEnabled('isaiah@contoso.com'), false, 'bypassed');
      h.tenant.state.organization.auditDisabled = true;
      assert.equal(await h.m365.exchange.isAuditEnabled(alex), false, 'organization auditing off');
    });

    it('splits rights held in one element and shows non-user holders as they are, not removable (facts 3, 10)', async () => {
      h.tenant.state.seedOtherHolder(alex, 'Discovery Management');
      h.tenant.state.seedOtherHolder(alex, 'S-1-5-21-1180699209-877415012-3182924384-1004');
      const full = (await h.m365.exchange.listPermissions(alex)).filter((e) => e.kind === 'FullAccess');
      assert.deepEqual(
        full.map((e) => [e.grantee, e.removable, e.holderKind]),
        [
          ['Discovery Management', false, 'name'],
          ['S-1-5-21-1180699209-877415012-3182924384-1004', false, 'sid'],
        ],
      );
      const err = await h.m365.exchange.removePermission(alex, full[0]).catch((e: unknown) => e);
      assert.ok(err instanceof ExchangeError);
      assert.equal(err.code, 'notRemovable');
    });

    it('keeps reading FullAccess and folders when Get-RecipientPermission is forbidden, and says SendAs was not read (fact 2)', async () => {
      h.tenant.state.app.forbiddenCmdlets.add('Get-RecipientPermission');
      h.tenant.state.seedPermission({ mailbox: alex, grantee: 'diego@contoso.com', kind: 'FullAccess' });
      const entries = await h.m365.exchange.listPermissions(alex);
      assert.deepEqual(
        entries.map((e) => e.kind),
        ['FullAccess'],
      );
      assert.deepEqual(h.m365.exchange.limitations(), [
        { kind: 'SendAs', reason: "the app's Exchange role does not include Get-RecipientPermission" },
      ]);
    });

    it('retries a 429 without Retry-After with jittered backoff (fact 9)', async () => {
      h.tenant.faults.throttle({ route: 'exchange:Add-MailboxPermission', times: 2 });
      await h.m365.exchange.grant({ mailbox: alex, grantee: adele, access: 'FullAccess' });
      assert.equal(h.tenant.faults.applied.throttle, 2);
      const backoff = h.waits.filter((ms) => ms >= 500);
      assert.equal(backoff.length, 2, `two backoff waits, got ${h.waits.join(',')}`);
      if (!realism.throttleRetryAfter)
        assert.ok(backoff[0] >= 500 && backoff[0] <= 1000 && backoff[1] >= 1000 && backoff[1] <= 2000, 'equal jitter around 1 s, then 2 s');
    });

    it('finds the activity on the audit search although v1.0 answers 404 (fact 13)', async () => {
      const at = Date.parse('2026-03-02T10:00:00Z');
      h.tenant.state.addAuditRecord({
        createdDateTime: new Date(at).toISOString(),
        operation: 'MailItemsAccessed',
        userPrincipalName: adele,
        mailboxOwnerUPN: alex,
        auditLogRecordType: 'exchangeItemAggregated',
      });
      const result = await h.m365.activity.summarize({ mailbox: alex, grantee: adele, from: at - 3_600_000, to: at + 3_600_000 });
      assert.ok(!('unavailable' in result), JSON.stringify(result));
      assert.equal(result.recordCount, 1);
      assert.equal(h.tenant.state.callCount('audit:v1.0'), 0, 'beta is asked directly');
    });

    it('tells mailbox presence from Exchange while the access policy hides mailboxSettings (fact 14)', async () => {
      const user = await h.m365.directory.findUser(alex);
      assert.equal(user?.hasMailbox, true);
      assert.equal((await h.m365.directory.findUser('grady@contoso.com'))?.hasMailbox, false);
      assert.equal(h.tenant.state.callCount('graph:mailboxSettings'), 0);
    });

    it('sends notices from the service mailbox with Mail.Send outside the token (fact 15)', async () => {
      await h.m365.mailer.send({ to: [alex], subject: 'Hello', body: 'x' });
      assert.equal(h.tenant.state.sentMails.length, 1);
    });
  });
}

describe('simulated tenant in its realistic configuration', () => {
  const h = useLocalTenant();

  it('answers a no-output cmdlet without "value" and a no-op Set-Mailbox with the real warning (fact 1)', async () => {
    const api = h.m365.exchangeApi;
    const first = await api.run(
      'Mailbox',
      'Set-Mailbox',
      { Identity: alex, GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', Remove: [adele] } },
      `UPN:${alex}`,
    );
    assert.deepEqual(first.value, []);
    assert.match(first.warnings[0], /completed successfully but no settings of 'alex' have been modified/);
  });

  it('refuses a parameter the v2.0 page does not document, in the live "Invalid Operation" shape (facts 2, 7)', async () => {
    const err = await h.m365.exchangeApi
      .run(
        'MailboxFolderPermission',
        'Remove-MailboxFolderPermission',
        { Identity: `${alex}:\\Inbox`, User: adele, Confirm: false },
        `UPN:${alex}`,
      )
      .catch((e: unknown) => e);
    assert.ok(err instanceof ExchangeError);
    assert.equal(err.code, 'AmbiguousParameterSetException');
    assert.match(err.message, /Invalid cmdlet parameters specified\. Confirm/);
  });

  it('does not find "Inbox" in a Norwegian mailbox (fact 4)', async () => {
    const err = await h.m365.exchangeApi
      .run('MailboxFolderPermission', 'Get-MailboxFolderPermission', { Identity: `${kari}:\\Inbox` }, `UPN:${kari}`)
      .catch((e: unknown) => e);
    assert.ok(err instanceof ExchangeError);
    assert.equal(err.code, 'ManagementObjectNotFoundException');
  });

  it('answers mailboxSettings 403 outside the service mailbox (fact 14)', async () => {
    const err = await h.m365.graph
      .call('read mailbox settings', (api) => api(`/users/${alex}/mailboxSettings`).get())
      .catch((e: unknown) => e);
    assert.equal((err as { status?: number }).status, 403);
    await h.m365.graph.call('read mailbox settings', (api) => api('/users/custodian@contoso.com/mailboxSettings').get());
  });
});
