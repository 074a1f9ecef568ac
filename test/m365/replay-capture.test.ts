import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCaptureFile, REPLAY_GUID, type CaptureFile, type CapturedAnswer } from '../../src/local-tenant';
import { ExchangeError } from '../../src/m365/exchange';
import type { AdminEndpoint } from '../../src/m365/exchange-online/admin-api-client';
import { GraphError } from '../../src/m365/graph/graph-error';
import { useLocalTenant, type Harness } from './local-tenant-harness';

// Replays every capture in test/fixtures/real-shapes (one made with
// `npm run doctor -- --capture` against the simulated tenant, the others
// hand-written from real-tenant.md with the source of each answer) against the
// connectors: each answer must be understood, and a refusal must come out as a
// named error, never as "malformed".

const DIR = join(__dirname, '..', 'fixtures', 'real-shapes');
const SERVICE = 'custodian@contoso.com';

function endpointOf(cmdlet: string): AdminEndpoint {
  if (cmdlet === 'Get-Mailbox' || cmdlet === 'Set-Mailbox') return 'Mailbox';
  if (cmdlet.endsWith('-MailboxFolderPermission')) return 'MailboxFolderPermission';
  if (cmdlet === 'Get-OrganizationConfig') return 'OrganizationConfig';
  return 'InvokeCommand';
}

const PARAMS: Record<string, Record<string, unknown>> = {
  'Get-MailboxFolderStatistics': { Identity: SERVICE, FolderScope: 'Inbox' },
  'Get-MailboxFolderPermission': { Identity: `${SERVICE}:\\Inbox` },
  'Add-MailboxPermission': {
    Identity: SERVICE,
    User: 'adele@contoso.com',
    AccessRights: ['FullAccess'],
    InheritanceType: 'All',
    AutoMapping: false,
    Confirm: false,
  },
  'Set-Mailbox': { Identity: SERVICE, GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', Remove: ['adele@contoso.com'] } },
  'Remove-MailboxFolderPermission': { Identity: `${SERVICE}:\\Inbox`, User: 'adele@contoso.com' },
  'Get-OrganizationConfig': {},
};

/** What the connector call for one captured answer must do. */
async function expectUnderstood(h: Harness, answer: CapturedAnswer): Promise<void> {
  const [route] = answer.match;
  const ok = answer.status >= 200 && answer.status < 300;
  let outcome: Promise<unknown>;
  if (route.startsWith('exchange:')) {
    const cmdlet = route.slice('exchange:'.length);
    outcome = h.m365.exchangeApi.run(endpointOf(cmdlet), cmdlet, PARAMS[cmdlet] ?? { Identity: SERVICE }, `UPN:${SERVICE}`);
  } else if (route === 'graph:user') outcome = h.m365.directory.getUser(REPLAY_GUID);
  else if (route === 'graph:users') outcome = h.m365.directory.findUser(SERVICE);
  else if (route === 'graph:manager') outcome = h.m365.directory.getManager(REPLAY_GUID);
  else if (route === 'graph:checkMemberGroups') outcome = h.m365.directory.isMemberOf(REPLAY_GUID, REPLAY_GUID);
  else if (route === 'graph:mailboxSettings')
    outcome = h.m365.graph.call('read mailbox settings', (api) => api(`/users/${REPLAY_GUID}/mailboxSettings`).get());
  else if (route.startsWith('audit:')) {
    const version = answer.match.includes('audit:v1.0') ? 'v1.0' : 'beta';
    const id = route === 'audit:list' || answer.match.length === 1 ? '' : `/${REPLAY_GUID}`;
    const path =
      route === 'audit:records'
        ? `/security/auditLog/queries/${REPLAY_GUID}/records`
        : `/security/auditLog/queries${route === 'audit:poll' ? id : ''}`;
    outcome = h.m365.graph.call('audit search', (api) =>
      route === 'audit:create' ? api(path).version(version).post({ displayName: 'x' }) : api(path).version(version).get(),
    );
  } else {
    assert.fail(`no connector call is known for ${route}`);
  }
  const settled = await outcome.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  // Graph's 404 means "not there" to the directory: a null, not a failure.
  const notThere = route.startsWith('graph:') && route !== 'graph:mailboxSettings' && answer.status === 404;
  if (ok || notThere) {
    assert.ok(!('error' in settled), `${answer.call}: ${String((settled as { error?: Error }).error?.message)}`);
    return;
  }
  assert.ok('error' in settled, `${answer.call}: HTTP ${answer.status} must fail`);
  const err = settled.error as ExchangeError | GraphError;
  assert.ok(err instanceof ExchangeError || err instanceof GraphError, `${answer.call}: ${String(err)}`);
  assert.notEqual(err.code, 'malformedResponse', `${answer.call}: a refusal is not a malformed answer (${err.message})`);
  assert.ok(!err.message.includes('\u0000'), 'no NUL bytes in the message');
  const nonJson = (answer.body as { $nonJson?: unknown } | null)?.$nonJson;
  if (answer.status === 403 && nonJson && err instanceof ExchangeError) assert.equal(err.code, 'cmdletNotPermitted');
  if (answer.status === 429) assert.equal(err.transient, true);
}

for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
  const capture = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as CaptureFile;

  describe(`replaying the captured shapes of ${file}`, () => {
    const h = useLocalTenant({ tenant: { replay: capture }, config: { callBudgetMs: 2_000 }, fastSleep: true });

    it('is a capture file whose hand-written answers name their source', () => {
      assert.ok(isCaptureFile(capture));
      if (capture.origin.startsWith('hand-written'))
        for (const answer of capture.answers) assert.ok(answer.source, `${answer.call} has no source`);
    });

    for (const answer of capture.answers) {
      it(`understands ${answer.call} answering HTTP ${answer.status}`, () => expectUnderstood(h, answer));
    }

    if (capture.answers.some((a) => a.match[0] === 'exchange:Get-MailboxPermission' && a.status === 200)) {
      it('lists permissions from these shapes: split rights, holders as names, objects and SIDs, the localized inbox', async () => {
        const entries = await h.m365.exchange.listPermissions(SERVICE);
        for (const entry of entries) assert.ok(entry.grantee.length > 0);
        if (file === 'exchange-delegation.json') {
          assert.deepEqual(
            entries.filter((e) => e.kind === 'FullAccess').map((e) => [e.grantee, e.holderKind]),
            [
              ['Discovery Management', 'name'],
              ['S-1-5-21-1000000000-1000000000-1000000000-1001', 'sid'],
            ],
          );
          assert.ok(entries.some((e) => e.kind === 'Folder' && e.folder === 'Innboks' && e.role === 'Reviewer'));
        }
      });
    }

    if (
      capture.answers.some((a) => a.match[0] === 'exchange:Get-OrganizationConfig' && a.status === 200) &&
      capture.answers.some((a) => a.match[0] === 'exchange:Get-MailboxAuditBypassAssociation' && a.status === 200)
    ) {
      it('judges auditing from these shapes', async () => {
        assert.equal(typeof (await h.m365.exchange.isAuditEnabled(SERVICE)), 'boolean');
        if (file === 'exchange-auditing.json')
          assert.equal(await h.m365.exchange.isAuditEnabled(SERVICE), true, 'AuditEnabled false does not decide');
      });
    }

    if (capture.answers.some((a) => a.match[0] === 'audit:create')) {
      it('reads an activity summary from these shapes', async () => {
        const result = await h.m365.activity.summarize({
          mailbox: SERVICE,
          grantee: 'adele@contoso.com',
          from: Date.now() - 3_600_000,
          to: Date.now(),
        });
        assert.ok(!('unavailable' in result), JSON.stringify(result));
        assert.equal(result.recordCount, 1);
      });
    }
  });
}
