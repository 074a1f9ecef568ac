import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { AuditLog } from '../../src/audit/audit-log';
import type { AuditEvent } from '../../src/domain/types';
import { ManualClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { appendSamples } from './helpers/chain';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'src/cli/audit.ts');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], dataDir: string): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, CUSTODIAN_DATA_DIR: dataDir };
  delete env.MONGODB_URI;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', 'tsx/cjs', CLI, ...args], { cwd: ROOT, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run audit (command line)', () => {
  let dataDir: string;
  let events: AuditEvent[];

  /** Six records one minute apart, starting a minute after `start`. */
  async function populate(start: number): Promise<void> {
    const store = SqliteStore.open(path.join(dataDir, 'custodian.sqlite'));
    const clock = new ManualClock(start);
    events = await appendSamples(new AuditLog(store, clock, silentLogger), clock, 6);
    await store.close();
  }

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-cli-'));
    await populate(Date.UTC(2026, 0, 5, 9, 0, 0));
  });

  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 2 with the wrong argument named and the usage', async () => {
    const run = await runCli(['export', '--from', '2026-01-01', '--to', '2026-02-01', '--format', 'xlsx'], dataDir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^--format must be one of csv, json \(got "xlsx"\)\n\nUsage:\n/);
    assert.equal(run.stdout, '');
  });

  it('verifies an intact chain (exit 0) and names the tampered record (exit 1)', async () => {
    const ok = await runCli(['verify'], dataDir);
    assert.deepEqual(ok, { code: 0, stdout: 'Audit chain verified: 6 records (1 to 6).\n', stderr: '' });

    const raw = new Database(path.join(dataDir, 'custodian.sqlite'));
    const body = JSON.parse((raw.prepare('SELECT body FROM audit WHERE seq = 3').get() as { body: string }).body) as AuditEvent;
    raw.prepare('UPDATE audit SET body = ? WHERE seq = 3').run(JSON.stringify({ ...body, ticket: 'INC-000' }));
    raw.close();

    const broken = await runCli(['verify'], dataDir);
    assert.equal(broken.code, 1);
    assert.equal(
      broken.stderr,
      'Audit chain verification FAILED at record 3 (changed): Record 3 was changed: its content no longer matches its hash.\n',
    );
  });

  it('exports CSV to a file and filtered JSON to stdout', async () => {
    const out = path.join(dataDir, 'jan.csv');
    const csv = await runCli(
      ['export', '--from', '2026-01-05', '--to', '2026-01-06', '--format', 'csv', '--mailbox', 'ceo@example.com', '--out', out],
      dataDir,
    );
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stderr, `Exported 3 audit records to ${out}.\n`);
    const rows = parse(fs.readFileSync(out, 'utf8')) as string[][];
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['seq', '2', '4', '6'],
    );

    const json = await runCli(
      ['export', '--from', '2026-01-05T09:02:00Z', '--to', '2026-01-05T09:05:00Z', '--format', 'json', '--requester', 'REQ1@example.com'],
      dataDir,
    );
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), [events[2]]);
  });

  it('applies retention and reports what it removed', async () => {
    // The command uses the real time, so these records are made three days old.
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir);
    await populate(Date.now() - 3 * 24 * 60 * 60 * 1000);
    const exportDir = path.join(dataDir, 'archive');
    const run = await runCli(['retention', '--days', '1', '--export-dir', exportDir], dataDir);
    assert.equal(run.code, 0, run.stderr);
    const [file] = fs.readdirSync(exportDir);
    assert.equal(run.stdout, `Removed 6 audit records (1 to 6) after exporting them to ${path.join(exportDir, file)}.\n`);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(exportDir, file), 'utf8')), events);
    const verify = await runCli(['verify'], dataDir);
    assert.equal(verify.stdout, 'Audit chain verified: 1 record (7 to 7).\n');
  });
});
