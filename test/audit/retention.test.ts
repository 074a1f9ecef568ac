import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../src/audit/audit-log';
import { computeHash } from '../../src/audit/hash';
import { applyRetention, RetentionError } from '../../src/audit/retention';
import { verifyChain } from '../../src/audit/verify';
import type { AuditEvent } from '../../src/domain/types';
import { ManualClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import { StoreUnavailableError, type Store } from '../../src/store/store';
import { auditBackends } from './helpers/backends';
import type { OpenedBackend } from './helpers/backend';
import { overrideStore } from './helpers/chain';

const DAY = 24 * 60 * 60 * 1000;

for (const backend of auditBackends()) {
  describe(`applyRetention on ${backend.name}`, () => {
    before(async function () {
      await backend.setUp(this);
    });

    let opened: OpenedBackend;
    let store: Store;
    let clock: ManualClock;
    let log: AuditLog;
    let dir: string;
    let events: AuditEvent[];

    /** One record a day for `days` days. */
    async function appendDaily(days: number): Promise<AuditEvent[]> {
      const out: AuditEvent[] = [];
      for (let i = 0; i < days; i++) {
        clock.advance(DAY);
        out.push(
          await log.append({
            type: 'access.granted',
            actor: { aadObjectId: `a-${i}` },
            mailbox: 'ceo@example.com',
            details: { day: i + 1 },
          }),
        );
      }
      return out;
    }

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      clock = new ManualClock();
      log = new AuditLog(store, clock, silentLogger);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-retention-'));
      events = await appendDaily(10);
    });

    afterEach(async () => {
      await opened.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('exports the old records to a file, anchors the chain, removes them, and records that it did', async () => {
      clock.advance(3 * DAY);
      const now = clock.now();
      const exportDir = path.join(dir, 'exports');
      const result = await applyRetention(store, log, { now, retentionDays: 7, exportDir });

      // At day 13, records of days 1..5 are older than 7 days; day 6 is exactly at the cutoff and stays.
      const expectedFile = path.join(exportDir, `audit-000000001-000000005-${new Date(now).toISOString().slice(0, 10)}.json`);
      assert.deepEqual(
        { removed: result.removed, exportedTo: result.exportedTo, fromSeq: result.fromSeq, throughSeq: result.throughSeq },
        { removed: 5, exportedTo: expectedFile, fromSeq: 1, throughSeq: 5 },
      );
      assert.deepEqual(JSON.parse(fs.readFileSync(expectedFile, 'utf8')), events.slice(0, 5));
      assert.deepEqual(fs.readdirSync(exportDir), [path.basename(expectedFile)], 'no temporary files are left behind');

      const anchor = { seq: 6, prevHash: events[4].hash, removedThrough: 5, exportedTo: expectedFile, at: now };
      assert.deepEqual(await store.getAuditAnchor(), anchor);
      assert.deepEqual(result.anchor, anchor);

      const remaining = await store.listAudit({});
      assert.deepEqual(
        remaining.map((e) => e.seq),
        [6, 7, 8, 9, 10, 11],
      );
      const retention = remaining[5];
      assert.equal(retention.type, 'audit.retention');
      assert.deepEqual(retention.details, {
        removedFrom: 1,
        removedThrough: 5,
        removedCount: 5,
        lastRemovedHash: events[4].hash,
        exportedTo: expectedFile,
        retentionDays: 7,
        cutoff: new Date(now - 7 * DAY).toISOString(),
      });
      assert.deepEqual(await verifyChain(store), { ok: true, count: 6, headSeq: 11 });
    });

    it('keeps the chain verifiable through later appends and a second retention', async () => {
      clock.advance(3 * DAY);
      await applyRetention(store, undefined, { now: clock.now(), retentionDays: 7, exportDir: dir });
      const later = await log.append({ type: 'access.revoked', actor: { aadObjectId: 'a-9' } });
      assert.equal(later.seq, 12);
      assert.deepEqual(await verifyChain(store), { ok: true, count: 7, headSeq: 12 });

      clock.advance(30 * DAY);
      const second = await applyRetention(store, log, { now: clock.now(), retentionDays: 7, exportDir: dir });
      assert.deepEqual(
        { removed: second.removed, fromSeq: second.fromSeq, throughSeq: second.throughSeq },
        { removed: 7, fromSeq: 6, throughSeq: 12 },
      );
      const remaining = await store.listAudit({});
      assert.deepEqual(
        remaining.map((e) => [e.seq, e.type]),
        [[13, 'audit.retention']],
      );
      assert.equal(remaining[0].prevHash, later.hash);
      assert.deepEqual(await verifyChain(store), { ok: true, count: 1, headSeq: 13 });
      assert.equal(fs.readdirSync(dir).length, 2);
    });

    it('does nothing, and writes no file, when no record is old enough', async () => {
      const result = await applyRetention(store, log, { now: clock.now(), retentionDays: 30, exportDir: dir });
      assert.deepEqual(result, { removed: 0 });
      assert.deepEqual(fs.readdirSync(dir), []);
      assert.equal((await store.listAudit({})).length, 10);
      assert.equal(await store.getAuditAnchor(), null);
    });

    it('removes only the unbroken run of old records at the start of the chain', async () => {
      // A second instance whose clock lags writes an "old" record after newer ones.
      const laggingClock = new ManualClock(events[0].at);
      await new AuditLog(store, laggingClock, silentLogger).append({ type: 'late.clock', actor: { aadObjectId: 'b' } });
      clock.advance(3 * DAY);
      const result = await applyRetention(store, log, { now: clock.now(), retentionDays: 7, exportDir: dir });
      assert.equal(result.throughSeq, 5);
      assert.deepEqual(
        (await store.listAudit({})).map((e) => e.seq),
        [6, 7, 8, 9, 10, 11, 12],
      );
      assert.equal((await verifyChain(store)).ok, true);
    });

    it('removes nothing when the export cannot be written', async () => {
      const blocker = path.join(dir, 'not-a-directory');
      fs.writeFileSync(blocker, 'x');
      clock.advance(3 * DAY);
      await assert.rejects(
        applyRetention(store, log, { now: clock.now(), retentionDays: 7, exportDir: path.join(blocker, 'exports') }),
        (e: Error) =>
          e instanceof RetentionError && /^Could not write the audit export to .*not-a-directory.*Nothing was removed\.$/.test(e.message),
      );
      assert.deepEqual(
        (await store.listAudit({})).map((e) => e.seq),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      assert.equal(await store.getAuditAnchor(), null);
      assert.deepEqual(await verifyChain(store), { ok: true, count: 10, headSeq: 10 });
    });

    it('refuses to remove records from a chain that does not verify', async () => {
      const third = await opened.raw.get(3);
      const forged = { ...third, details: { day: 99 } };
      await opened.raw.put(3, { ...forged, hash: computeHash(forged) });
      clock.advance(3 * DAY);
      await assert.rejects(
        applyRetention(store, log, { now: clock.now(), retentionDays: 7, exportDir: dir }),
        (e: Error) =>
          e instanceof RetentionError &&
          /^Retention refused because the audit chain does not verify: Record 3 was changed.*Nothing was removed\.$/.test(e.message),
      );
      assert.equal((await store.listAudit({})).length, 10);
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('leaves a verifiable chain when it stops between anchoring and deleting, and a rerun finishes the job', async () => {
      clock.advance(3 * DAY);
      const failingDelete = overrideStore(store, {
        deleteAuditThrough: async () => {
          throw new StoreUnavailableError('store went away');
        },
      });
      await assert.rejects(
        applyRetention(failingDelete, log, { now: clock.now(), retentionDays: 7, exportDir: dir }),
        StoreUnavailableError,
      );
      assert.deepEqual(await verifyChain(store), { ok: true, count: 6, headSeq: 11 });

      const rerun = await applyRetention(store, log, { now: clock.now(), retentionDays: 7, exportDir: dir });
      assert.deepEqual({ removed: rerun.removed, throughSeq: rerun.throughSeq }, { removed: 5, throughSeq: 5 });
      assert.deepEqual(
        (await store.listAudit({})).map((e) => e.seq),
        [6, 7, 8, 9, 10, 11],
      );
      assert.deepEqual(await verifyChain(store), { ok: true, count: 6, headSeq: 11 });
    });

    it('rejects a retention period that is not a whole number of days', async () => {
      await assert.rejects(
        applyRetention(store, log, { now: clock.now(), retentionDays: 0, exportDir: dir }),
        /retentionDays must be a whole number of days of at least 1 \(got 0\)/,
      );
      await assert.rejects(applyRetention(store, log, { now: clock.now(), retentionDays: 1.5, exportDir: dir }), /got 1\.5/);
    });
  });
}
