import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog, type AuditInput } from '../../src/audit/audit-log';
import { buildReport } from '../../src/audit/report/build-report';
import { renderHtml } from '../../src/audit/report/render-html';
import { SYSTEM_ACTOR } from '../../src/domain/types';
import { ManualClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { RssSampler } from './rss-sampler';

const TYPES = ['request.submitted', 'request.approved', 'grant.attempted', 'grant.confirmed', 'revoke.started', 'revoke.confirmed'];
const START = Date.UTC(2026, 10, 1);

/** One request's life, six records, in the shapes the app writes. */
function record(i: number): AuditInput {
  const r = Math.floor(i / TYPES.length);
  const type = TYPES[i % TYPES.length];
  const requester = { aadObjectId: `u${r % 40}`, upn: `user${r % 40}@contoso.example` };
  const at = START + i * 25_000;
  return {
    type,
    actor: type === 'request.submitted' ? requester : SYSTEM_ACTOR,
    requestId: `CUS-2026-${r}`,
    mailbox: `m${r % 300}@contoso.example`,
    jurisdiction: r % 3 ? 'EU' : 'NO',
    details: {
      requester,
      access: ['FullAccess', 'ReadFolder', 'SendOnBehalf'][r % 3],
      durationMinutes: 60,
      requiredApprovals: [{ role: 'security', count: 1 }],
      flags: {},
      expiresAt: new Date(at + 3_600_000).toISOString(),
      reason: r % 5 ? 'expired' : 'released',
    },
  };
}

/** The audit report over `records` records in the embedded store: seconds to build and render, peak RSS. */
export async function runReportBench(options: { records: number; progress: (line: string) => void }): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-report-bench-'));
  const store = SqliteStore.open(path.join(dir, 'custodian.sqlite'));
  try {
    const clock = new ManualClock(START);
    const log = new AuditLog(store, clock, silentLogger);
    let pending: Promise<unknown>[] = [];
    for (let i = 0; i < options.records; i++) {
      clock.set(START + i * 25_000);
      pending.push(log.append(record(i)));
      if (pending.length >= 1_000) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
    options.progress(`report: ${options.records} audit records written`);
    const rss = new RssSampler().start();
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const report = await buildReport(store, { from: START, to: START + options.records * 25_000 + 1, tenant: 'bench', now: Date.now() });
    const built = performance.now();
    const html = await renderHtml(report);
    const done = performance.now();
    const peak = rss.stop();
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    return [
      '',
      `Audit report over ${options.records} records (embedded SQLite store, streamed in pages of 1,000; target: under 30 s)`,
      '',
      '| Records | Verified | Chain walk + figures (s) | HTML with charts (s) | Total (s) | HTML (KB) | RSS before (MB) | Peak RSS (MB) |',
      '|---|---|---|---|---|---|---|---|',
      `| ${report.chain.records} | ${report.chain.verified ? 'yes' : 'NO'} | ${((built - started) / 1000).toFixed(1)} | ${((done - built) / 1000).toFixed(1)} | ${((done - started) / 1000).toFixed(1)} | ${(html.length / 1024).toFixed(0)} | ${mb(before)} | ${mb(peak)} |`,
      '',
    ].join('\n');
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
