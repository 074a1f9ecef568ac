import assert from 'node:assert/strict';
import { doctorMain } from '../../src/doctor/doctor-main';
import { renderReport, runDoctor } from '../../src/doctor/run-doctor';
import { startLocalTenant, type LocalTenant } from '../../src/local-tenant';
import { createM365, m365ConfigForLocalTenant, type M365Config } from '../../src/m365/connect';
import { silentLogger } from '../../src/shared/logger';

describe('doctor against the local tenant', () => {
  let tenant: LocalTenant;
  beforeEach(async () => {
    tenant = await startLocalTenant();
  });
  afterEach(async () => {
    await tenant.close();
  });

  async function check(changes: Partial<M365Config> = {}) {
    const cfg = { ...m365ConfigForLocalTenant(tenant), callBudgetMs: 2_000, ...changes };
    const m365 = await createM365(cfg, silentLogger);
    try {
      return await runDoctor(m365, cfg);
    } finally {
      await m365.close();
    }
  }
  const statusOf = (report: Awaited<ReturnType<typeof check>>, name: RegExp) => report.results.find((r) => name.test(r.check))?.status;

  it('passes every check when the app has what it needs', async () => {
    const report = await check();
    assert.equal(report.healthy, true, renderReport(report));
    assert.ok(report.results.every((r) => r.status === 'ok'));
    assert.equal(report.results.length, 15);
  });

  it('names a missing Graph permission and how to add it', async () => {
    tenant.state.app.graphRoles.delete('GroupMember.Read.All');
    const report = await check();
    assert.equal(report.healthy, false);
    const row = report.results.find((r) => /group membership/.test(r.check))!;
    assert.equal(row.status, 'missing');
    assert.match(row.fix ?? '', /GroupMember\.Read\.All/);
    assert.equal(statusOf(report, /read users/), 'ok');
  });

  it('does not need MailboxSettings.Read: mailbox presence comes from Exchange', async () => {
    tenant.state.app.graphRoles.delete('MailboxSettings.Read');
    const report = await check();
    assert.equal(report.healthy, true, renderReport(report));
    assert.ok(!report.results.some((r) => /mailboxSettings|MailboxSettings/.test(r.check)));
  });

  it('reports a service mailbox that does not exist', async () => {
    const report = await check({ serviceMailbox: 'nobody@contoso.com' });
    const row = report.results.find((r) => /read users/.test(r.check))!;
    assert.equal(row.status, 'failed');
    assert.match(row.detail ?? '', /nobody@contoso\.com does not exist/);
    assert.match(row.fix ?? '', /M365_SERVICE_MAILBOX/);
  });

  it('proves Mail.Send by a message to the service mailbox, though RBAC for Applications keeps it out of the token', async () => {
    const report = await check();
    assert.equal(statusOf(report, /send mail/), 'ok', renderReport(report));
    assert.match(report.results.find((r) => /send mail/.test(r.check))!.detail ?? '', /granted outside the token/);
    assert.equal(tenant.state.sentMails.length, 1);
    assert.deepEqual(tenant.state.sentMails[0].to, ['custodian@contoso.com']);
    assert.equal(tenant.state.sentMails[0].from, 'custodian@contoso.com');
  });

  it('passes Mail.Send from the token too (polite tenant, permission consented in Entra)', async () => {
    tenant.state.realism.mailSendViaRbac = false;
    const report = await check();
    assert.equal(statusOf(report, /send mail/), 'ok');
    assert.doesNotMatch(report.results.find((r) => /send mail/.test(r.check))!.detail ?? '', /outside the token/);
  });

  it('finds Mail.Send missing when the probe message is refused', async () => {
    tenant.state.app.graphRoles.delete('Mail.Send');
    const report = await check();
    assert.equal(statusOf(report, /send mail/), 'missing');
    assert.match(report.results.find((r) => /send mail/.test(r.check))!.fix ?? '', /RBAC for Applications/);
    assert.equal(tenant.state.sentMails.length, 0);
    assert.equal(report.healthy, false);
  });

  it('names a cmdlet left out of the Exchange role (403 with a NUL-byte body); SendAs drift is optional', async () => {
    tenant.state.app.forbiddenCmdlets.add('Get-MailboxAuditBypassAssociation');
    tenant.state.app.forbiddenCmdlets.add('Get-RecipientPermission');
    const report = await check();
    assert.equal(statusOf(report, /audit bypass/), 'missing');
    assert.match(report.results.find((r) => /audit bypass/.test(r.check))!.fix ?? '', /Get-MailboxAuditBypassAssociation/);
    assert.equal(statusOf(report, /SendAs drift/), 'warning');
    assert.equal(report.healthy, false);
  });

  it('treats a missing audit permission as a warning only', async () => {
    tenant.state.app.graphRoles.delete('AuditLogsQuery-Exchange.Read.All');
    const report = await check();
    assert.equal(statusOf(report, /audit search/), 'warning');
    assert.equal(report.healthy, true);
  });

  it('detects an app without an Exchange role', async () => {
    tenant.state.app.exchangeRoleAssigned = false;
    const report = await check();
    assert.equal(statusOf(report, /read mailboxes/), 'missing');
    assert.equal(statusOf(report, /FullAccess/), 'missing');
    assert.match(report.results.find((r) => /FullAccess/.test(r.check))!.fix ?? '', /New-ManagementRoleAssignment/);
    assert.equal(report.healthy, false);
  });

  it('skips what depends on a token it could not get', async () => {
    const report = await check({ clientSecret: 'wrong-secret-value' });
    assert.equal(statusOf(report, /Token for Microsoft Graph/), 'failed');
    assert.match(report.results[0].fix ?? '', /client secret or certificate is wrong/);
    assert.equal(statusOf(report, /read users/), 'skipped');
    assert.equal(statusOf(report, /read mailboxes/), 'skipped');
    assert.ok(!renderReport(report).includes('wrong-secret-value'));
  });

  it('renders a check | status | fix table', async () => {
    tenant.state.app.graphRoles.delete('Mail.Send');
    const text = renderReport(await check());
    const lines = text.split('\n');
    assert.match(lines[0], /^check\s+\| status\s+\| fix$/);
    assert.match(text, /Graph: send mail \(Mail\.Send\)\s+\| MISSING[^|]*\| Let the app send as custodian@contoso\.com/);
    assert.match(text, /Some required checks failed/);
  });
});

describe('doctor command', () => {
  it('runs against a local tenant it starts itself and exits 0', async () => {
    const out: string[] = [];
    const code = await doctorMain(['--local-tenant'], {}, (t) => out.push(t));
    assert.equal(code, 0, out.join('\n'));
    assert.match(out.join('\n'), /All required checks passed/);
  });

  it('exits 1 naming the missing settings when nothing is configured', async () => {
    const out: string[] = [];
    const code = await doctorMain([], {}, (t) => out.push(t));
    assert.equal(code, 1);
    assert.match(out.join('\n'), /tenantId: tenantId must be a GUID/);
  });

  it('exits 2 on an unknown argument', async () => {
    const out: string[] = [];
    assert.equal(await doctorMain(['--frobnicate'], {}, (t) => out.push(t)), 2);
    assert.match(out.join('\n'), /Unknown argument "--frobnicate"/);
  });
});
