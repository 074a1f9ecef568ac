import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { AuditLog } from '../../src/audit/audit-log';
import { CSV_COLUMNS, exportAudit, type ExportFormat, type ExportOptions } from '../../src/audit/export';
import { hashMatches } from '../../src/audit/hash';
import type { AuditEvent } from '../../src/domain/types';
import { ManualClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import type { AuditQuery, Store } from '../../src/store/store';
import { auditBackends } from './helpers/backends';
import type { OpenedBackend } from './helpers/backend';
import { appendSamples } from './helpers/chain';

async function collect(store: Store, query: AuditQuery, format: ExportFormat, options?: ExportOptions): Promise<string> {
  let text = '';
  for await (const chunk of exportAudit(store, query, format, options)) text += chunk;
  return text;
}

function csvRows(text: string): string[][] {
  return parse(text, { relax_column_count: false }) as string[][];
}

for (const backend of auditBackends()) {
  describe(`exportAudit on ${backend.name}`, () => {
    before(async function () {
      await backend.setUp(this);
    });

    let opened: OpenedBackend;
    let store: Store;
    let clock: ManualClock;
    let log: AuditLog;

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      clock = new ManualClock();
      log = new AuditLog(store, clock, silentLogger);
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    it('writes CSV with a header and quotes commas, quotes and line breaks so they read back intact', async () => {
      const tricky = await log.append({
        type: 'request.created',
        actor: { aadObjectId: 'a-1', name: 'Doe, "Jack"\nJunior', upn: 'jack@example.com' },
        requestId: 'CUS-2026-0001',
        ticket: 'INC-1, part "2"',
        mailbox: 'ceo@example.com',
        jurisdiction: 'NO',
        details: { justification: 'line one\nline "two", with comma', minutes: 30 },
      });
      const plain = await log.append({ type: 'request.approved', actor: { aadObjectId: 'a-2' } });
      const rows = csvRows(await collect(store, {}, 'csv'));
      assert.deepEqual(rows[0], [...CSV_COLUMNS]);
      assert.deepEqual(rows[1], [
        '1',
        new Date(tricky.at).toISOString(),
        'request.created',
        'a-1',
        'Doe, "Jack"\nJunior',
        'jack@example.com',
        'CUS-2026-0001',
        'INC-1, part "2"',
        'ceo@example.com',
        'NO',
        '{"justification":"line one\\nline \\"two\\", with comma","minutes":30}',
        tricky.prevHash,
        tricky.hash,
      ]);
      assert.deepEqual(rows[2], [
        '2',
        new Date(plain.at).toISOString(),
        'request.approved',
        'a-2',
        '',
        '',
        '',
        '',
        '',
        '',
        '{}',
        tricky.hash,
        plain.hash,
      ]);
      assert.equal(rows.length, 3);
    });

    it('keeps a spreadsheet from running formulas smuggled into cells', async () => {
      await log.append({
        type: 'request.created',
        actor: { aadObjectId: 'a-1', name: '=HYPERLINK("http://evil.example")' },
        ticket: '+SUM(A1)',
        details: {},
      });
      const [, row] = csvRows(await collect(store, {}, 'csv'));
      assert.equal(row[4], `'=HYPERLINK("http://evil.example")`);
      assert.equal(row[7], `'+SUM(A1)`);
    });

    it('writes JSON that parses back to the stored records, which still verify', async () => {
      await appendSamples(log, clock, 5);
      const records = JSON.parse(await collect(store, {}, 'json', { pageSize: 2 })) as AuditEvent[];
      assert.deepEqual(records, await store.listAudit({}));
      assert.ok(records.every(hashMatches));
    });

    it('writes a header-only CSV and an empty JSON array when nothing matches', async () => {
      assert.equal(await collect(store, {}, 'csv'), `${CSV_COLUMNS.join(',')}\n`);
      assert.deepEqual(JSON.parse(await collect(store, {}, 'json')), []);
    });

    it('applies time, mailbox, request, actor/requester and ticket filters, across pages', async () => {
      const events = await appendSamples(log, clock, 12);
      const seqs = async (query: AuditQuery, options: ExportOptions = {}) =>
        (JSON.parse(await collect(store, query, 'json', { pageSize: 3, ...options })) as AuditEvent[]).map((e) => e.seq);

      assert.deepEqual(await seqs({ from: events[3].at, to: events[6].at }), [4, 5, 6, 7]);
      assert.deepEqual(await seqs({ mailbox: 'CEO@example.com' }), [2, 4, 6, 8, 10, 12]);
      assert.deepEqual(await seqs({ requestId: 'CUS-2026-0007' }), [7]);
      assert.deepEqual(await seqs({ ticket: 'INC-103' }), [3]);
      assert.deepEqual(await seqs({ actorId: 'actor-1' }), [1, 4, 7, 10]);
      assert.deepEqual(await seqs({ actorId: 'requester-1', from: events[4].at }), [5, 7, 9, 11]);
      assert.deepEqual(await seqs({ mailbox: 'hr@example.com', limit: 4 }), [1, 3, 5, 7]);
      assert.deepEqual(await seqs({ limit: 2 }, { filter: (e) => e.seq % 5 === 0 }), [5, 10]);
    });

    it('rejects an unknown format by name', () => {
      assert.throws(() => exportAudit(store, {}, 'xml' as ExportFormat), /Unknown export format "xml": use csv or json/);
    });
  });
}
