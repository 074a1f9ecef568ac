import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { runAuditCli } from '../../../src/cli/audit';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { writeTrail } from './trail';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], dataDir: string): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  const code = await runAuditCli(['report', ...args], {
    stdout,
    stderr,
    env: { CUSTODIAN_DATA_DIR: dataDir, M365_TENANT_ID: 'contoso-tenant-id' },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('npm run audit -- report', () => {
  let dataDir: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-report-cli-'));
    const store = SqliteStore.open(path.join(dataDir, 'custodian.sqlite'));
    await writeTrail(store);
    await store.close();
  });

  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes a self-contained HTML file with the period, the tenant and the verified chain at the top', async () => {
    const file = path.join(dataDir, 'report.html');
    const result = await run(['--from', '2026-11-01', '--to', '2026-12-01', '--out', file], dataDir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^Wrote the HTML report of \d+ audit records to .*report\.html\.\n$/);
    const html = fs.readFileSync(file, 'utf8');
    assert.match(html, /<h1>Mailbox access report: 2026-11-01 to 2026-11-30<\/h1>/);
    assert.match(html, /<dt>Tenant<\/dt><dd>contoso-tenant-id<\/dd>/);
    assert.match(html, /<h2>Audit chain verified<\/h2>/);
    assert.match(html, /3 requesters received 90% of the 10 grants/);
    assert.equal((html.match(/<svg /g) ?? []).length, 11, 'one SVG per chart');
    // Nothing to fetch: no scripts, no links, no remote images or fonts.
    assert.doesNotMatch(html, /<script|<link|<img|@import|url\(|src=|https?:\/\/(?!www\.w3\.org\/)/i);
  });

  it('writes the same figures as JSON, to standard output without --out', async () => {
    const result = await run(['--from', '2026-11-01', '--to', '2026-12-01', '--format', 'json'], dataDir);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.tenant, 'contoso-tenant-id');
    assert.deepEqual(report.period, { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) });
    assert.equal(report.chain.verified, true);
    assert.equal(report.figures.grants.total, 10);
    assert.equal(report.figures.refusals.total, 6);
    assert.equal(report.figures.untracedChanges.tracked, false);
  });

  for (const [args, message] of [
    [
      ['--from', '2026-11-31', '--to', '2026-12-01'],
      /^--from must be a date like 2026-01-31 or a time like 2026-01-31T08:00:00Z \(got "2026-11-31"\)/,
    ],
    [['--from', '2026-11-01', '--to', 'December'], /^--to must be a date like .* \(got "December"\)/],
    [['--from', '2026-12-01', '--to', '2026-11-01'], /^--from \(2026-12-01\) must be before --to \(2026-11-01\)/],
    [['--to', '2026-12-01'], /^Missing --from/],
    [['--from', '2026-11-01', '--to', '2026-12-01', '--format', 'pdf'], /^--format must be one of html, json \(got "pdf"\)/],
    [['--from', '2026-11-01', '--to', '2026-12-01', '--mailbox', 'x'], /Unknown option '--mailbox'/],
  ] as [string[], RegExp][]) {
    it(`refuses ${args.join(' ')} with exit 2, naming what is wrong`, async () => {
      const result = await run(args, dataDir);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /npm run audit -- report --from/);
      assert.equal(result.stdout, '');
    });
  }

  it('refuses an --out it cannot write before reading the trail', async () => {
    const missing = path.join(dataDir, 'no-such-folder', 'report.html');
    let result = await run(['--from', '2026-11-01', '--to', '2026-12-01', '--out', missing], dataDir);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, `--out: cannot write the report to ${missing}: the folder ${path.dirname(missing)} does not exist\n`);
    result = await run(['--from', '2026-11-01', '--to', '2026-12-01', '--out', dataDir], dataDir);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, `--out: cannot write the report to ${dataDir}: ${dataDir} is a directory; name a file inside it\n`);
  });

  it('still writes the report of a broken chain, flagged at the top, and exits 1', async () => {
    const brokenDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-report-broken-'));
    try {
      const dbFile = path.join(brokenDir, 'custodian.sqlite');
      const store = SqliteStore.open(dbFile);
      await writeTrail(store);
      const target = (await store.listAudit({ from: Date.UTC(2026, 10, 10), limit: 1 }))[0];
      await store.close();
      const db = new Database(dbFile);
      const row = db.prepare('SELECT body FROM audit WHERE seq = ?').get(target.seq) as { body: string };
      db.prepare('UPDATE audit SET body = ? WHERE seq = ?').run(
        JSON.stringify({ ...JSON.parse(row.body), details: { forged: true } }),
        target.seq,
      );
      db.close();

      const file = path.join(brokenDir, 'report.html');
      const result = await run(['--from', '2026-11-01', '--to', '2026-12-01', '--out', file], brokenDir);
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`WARNING: the audit chain did not verify \\(record ${target.seq}\\)`));
      const html = fs.readFileSync(file, 'utf8');
      const top = html.slice(0, html.indexOf('<ul class="headline">'));
      assert.match(top, /<div class="chain broken" id="chain">/);
      assert.match(top, new RegExp(`Audit chain NOT verified: record ${target.seq} \\(inside this period\\) is changed`));
    } finally {
      fs.rmSync(brokenDir, { recursive: true, force: true });
    }
  });
});
