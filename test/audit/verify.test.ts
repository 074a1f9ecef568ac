import assert from 'node:assert/strict';
import { AuditLog } from '../../src/audit/audit-log';
import { computeHash } from '../../src/audit/hash';
import { verifyChain, type VerifyResult } from '../../src/audit/verify';
import type { AuditEvent } from '../../src/domain/types';
import { ManualClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import type { Store } from '../../src/store/store';
import { auditBackends } from './helpers/backends';
import type { OpenedBackend, RawAudit } from './helpers/backend';
import { appendSamples } from './helpers/chain';

const RECORDS = 9;
// Small pages so that every walk crosses page boundaries.
const PAGE = { pageSize: 4 };

function rehash(event: AuditEvent): AuditEvent {
  const { hash: _old, ...unsigned } = event;
  return { ...unsigned, hash: computeHash(unsigned) };
}

/** Moves records [from..RECORDS] by `delta` positions, as an attacker renumbering them would. */
async function renumber(raw: RawAudit, from: number, delta: number, recomputeHashes: boolean): Promise<void> {
  const positions = Array.from({ length: RECORDS - from + 1 }, (_, i) => from + i);
  for (const position of delta > 0 ? positions.reverse() : positions) {
    const event = await raw.get(position);
    await raw.remove(position);
    const moved = { ...event, seq: position + delta };
    await raw.put(position + delta, recomputeHashes ? rehash(moved) : moved);
  }
}

function assertProblem(result: VerifyResult, seq: number, problem: string, message: RegExp): void {
  assert.equal(result.ok, false, 'tampering must be detected');
  if (result.ok) return;
  assert.deepEqual({ seq: result.seq, problem: result.problem }, { seq, problem }, result.message);
  assert.match(result.message, message);
}

for (const backend of auditBackends()) {
  describe(`verifyChain on ${backend.name}`, () => {
    before(async function () {
      await backend.setUp(this);
    });

    let opened: OpenedBackend;
    let store: Store;
    let raw: RawAudit;
    let events: AuditEvent[];

    beforeEach(async () => {
      opened = await backend.open();
      ({ store, raw } = opened);
      const clock = new ManualClock();
      events = await appendSamples(new AuditLog(store, clock, silentLogger), clock, RECORDS);
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    it('passes on an untouched log', async () => {
      assert.deepEqual(await verifyChain(store, PAGE), { ok: true, count: RECORDS, headSeq: RECORDS });
    });

    it('passes on an empty log', async () => {
      for (let seq = 1; seq <= RECORDS; seq++) await raw.remove(seq);
      assert.deepEqual(await verifyChain(store), { ok: true, count: 0, headSeq: 0 });
    });

    it('names a record whose content was edited', async () => {
      const edited = await raw.get(5);
      await raw.put(5, { ...edited, mailbox: 'someone-else@example.com' });
      assertProblem(await verifyChain(store, PAGE), 5, 'changed', /^Record 5 was changed: its content no longer matches its hash/);
    });

    it('names a record whose content was edited and its hash recomputed', async () => {
      const edited = await raw.get(5);
      await raw.put(5, rehash({ ...edited, details: { ...edited.details, step: 999 } }));
      assertProblem(
        await verifyChain(store, PAGE),
        5,
        'changed',
        /^Record 5 was changed and its hash recomputed.*record 6 expects previous hash/,
      );
    });

    it('names a record whose previous-hash link was edited', async () => {
      const edited = await raw.get(5);
      await raw.put(5, { ...edited, prevHash: 'f'.repeat(64) });
      assertProblem(await verifyChain(store, PAGE), 5, 'changed', /Record 5 was changed.*link to the previous record does not match/);
    });

    it('names a deleted record', async () => {
      await raw.remove(4);
      assertProblem(await verifyChain(store, PAGE), 4, 'removed', /^Record 4 is missing: the chain jumps from record 3 to record 5\./);
    });

    it('names several deleted records at the start of the chain', async () => {
      await raw.remove(1);
      await raw.remove(2);
      assertProblem(
        await verifyChain(store, PAGE),
        1,
        'removed',
        /^Records 1 to 2 are missing: the chain jumps from the start of the chain to record 3\./,
      );
    });

    it('names a deleted record when the later ones were renumbered', async () => {
      await raw.remove(4);
      await renumber(raw, 5, -1, false);
      assertProblem(
        await verifyChain(store, PAGE),
        4,
        'removed',
        /^Record 4 was removed and later records renumbered: the record now numbered 4 was written as record 5\./,
      );
    });

    it('names an inserted record that links correctly, with the later records renumbered', async () => {
      await renumber(raw, 4, +1, false);
      const forged = rehash({ ...events[3], seq: 4, prevHash: events[2].hash, type: 'access.revoked', details: { forged: true } });
      await raw.put(4, forged);
      assertProblem(
        await verifyChain(store, PAGE),
        4,
        'inserted',
        /^Record 4 was inserted: the record now numbered 5 was written as record 4/,
      );
    });

    it('names an inserted record when the renumbered records were also re-hashed', async () => {
      await renumber(raw, 4, +1, true);
      const forged = rehash({ ...events[3], seq: 4, prevHash: events[2].hash, details: { forged: true } });
      await raw.put(4, forged);
      assertProblem(
        await verifyChain(store, PAGE),
        4,
        'inserted',
        /^Record 4 was inserted: record 5 links directly to record 3, skipping it\./,
      );
    });

    it('names an inserted record that carries a made-up hash', async () => {
      await renumber(raw, 4, +1, false);
      await raw.put(4, { ...events[3], seq: 4, details: { forged: true }, hash: 'a'.repeat(64) });
      assertProblem(
        await verifyChain(store, PAGE),
        4,
        'inserted',
        /^Record 4 was inserted: the record now numbered 5 was written as record 4 and links to record 3\./,
      );
    });

    it('names two neighbouring records whose contents were swapped', async () => {
      const [four, five] = [await raw.get(4), await raw.get(5)];
      await raw.put(4, { ...five, seq: 4 });
      await raw.put(5, { ...four, seq: 5 });
      assertProblem(
        await verifyChain(store, PAGE),
        4,
        'reordered',
        /^Records 4 and 5 were swapped: record 4 holds the content written as record 5\./,
      );
    });

    it('names the first of two distant records that were swapped', async () => {
      const [three, seven] = [await raw.get(3), await raw.get(7)];
      await raw.put(3, { ...seven, seq: 3 });
      await raw.put(7, { ...three, seq: 7 });
      assertProblem(
        await verifyChain(store, PAGE),
        3,
        'reordered',
        /^Records were reordered: record 3 holds the content written as record 7\./,
      );
    });

    it('names the position where two stored records were swapped without being edited', async () => {
      const [four, five] = [await raw.get(4), await raw.get(5)];
      await raw.put(4, five);
      await raw.put(5, four);
      assert.deepEqual(await verifyChain(store, PAGE), {
        ok: false,
        seq: 4,
        problem: 'reordered',
        message: 'Records are out of order: record 5 is stored where record 4 belongs.',
      });
    });

    it('names a record stored twice', async () => {
      await raw.put(5, await raw.get(4));
      assert.deepEqual(await verifyChain(store, PAGE), { ok: false, seq: 4, problem: 'duplicate', message: 'Record 4 appears twice.' });
    });

    it('names a record that was edited in the last position of the chain', async () => {
      const last = await raw.get(RECORDS);
      await raw.put(RECORDS, { ...last, type: 'nothing.happened' });
      assertProblem(await verifyChain(store, PAGE), RECORDS, 'changed', new RegExp(`^Record ${RECORDS} was changed`));
    });

    it('names the first record when the chain was replaced from its start', async () => {
      const first = await raw.get(1);
      await raw.put(1, rehash({ ...first, prevHash: 'e'.repeat(64) }));
      assertProblem(await verifyChain(store, PAGE), 1, 'changed', /^Record 1 does not start the chain/);
    });

    it('refuses an anchor that no retention record confirms', async () => {
      for (let seq = 1; seq <= 3; seq++) await raw.remove(seq);
      await store.setAuditAnchor({ seq: 4, prevHash: events[2].hash, removedThrough: 3, exportedTo: '/nowhere.json', at: events[2].at });
      assertProblem(await verifyChain(store, PAGE), 4, 'anchor', /records up to 3 were removed, but no audit\.retention record/);
    });

    it('refuses a chain that does not link to its anchor', async () => {
      for (let seq = 1; seq <= 3; seq++) await raw.remove(seq);
      await store.setAuditAnchor({ seq: 4, prevHash: 'c'.repeat(64), removedThrough: 3, exportedTo: '/nowhere.json', at: events[2].at });
      assertProblem(await verifyChain(store, PAGE), 4, 'anchor', /^Record 4 does not link to the retention anchor/);
    });
  });
}
