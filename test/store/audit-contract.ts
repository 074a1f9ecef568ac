import assert from 'node:assert/strict';
import { DuplicateKeyError, type AuditStore } from '../../src/store/store';
import { AWKWARD } from './awkward-keys';
import { T0, makeAuditEvent, person } from './fixtures';

/** The audit trail: appends with a unique seq, the chain end, queries, retention. Called from the store contract, which hands over a fresh, empty store per test. */
export function auditContract(current: () => AuditStore): void {
  describe('audit', function () {
    it('appends, refuses a taken seq, and reports the last record', async function () {
      const store = current();
      assert.equal(await store.lastAudit(), null);
      const one = makeAuditEvent(1);
      const two = makeAuditEvent(2, { details: AWKWARD });
      await store.appendAudit(one);
      await store.appendAudit(two);
      await assert.rejects(store.appendAudit(makeAuditEvent(2, { hash: 'other' })), DuplicateKeyError);
      const last = await store.lastAudit();
      assert.deepEqual(last, two);
      assert.equal(JSON.stringify(last), JSON.stringify(two), 'key order matters to the hash chain');
    });

    it('appends a batch in order, stopping at the first taken seq', async function () {
      const store = current();
      assert.equal(await store.appendAuditBatch([]), 0);
      assert.equal(await store.appendAuditBatch([1, 2, 3].map((seq) => makeAuditEvent(seq))), 3);
      await store.appendAudit(makeAuditEvent(5, { hash: 'theirs' }));
      const mine = [4, 5, 6].map((seq) => makeAuditEvent(seq, { hash: `mine-${seq}` }));
      assert.equal(await store.appendAuditBatch(mine), 1);
      assert.deepEqual(
        (await store.listAudit({})).map((e) => [e.seq, e.hash]),
        [
          [1, makeAuditEvent(1).hash],
          [2, makeAuditEvent(2).hash],
          [3, makeAuditEvent(3).hash],
          [4, 'mine-4'],
          [5, 'theirs'],
        ],
      );
      assert.equal(await store.appendAuditBatch([makeAuditEvent(1, { hash: 'late' })]), 0);
      assert.equal((await store.lastAudit())?.hash, 'theirs');
    });

    it('lets exactly one of several batches starting at the same seq land', async function () {
      const store = current();
      const counts = await Promise.all(
        Array.from({ length: 6 }, (_, writer) =>
          store.appendAuditBatch([1, 2, 3].map((seq) => makeAuditEvent(seq, { hash: `w${writer}-${seq}` }))),
        ),
      );
      const stored = await store.listAudit({});
      assert.equal(stored.length, 3);
      const winner = stored[0].hash.split('-')[0];
      assert.ok(
        stored.every((e) => e.hash.startsWith(`${winner}-`)),
        `records of one writer: ${stored.map((e) => e.hash).join(', ')}`,
      );
      assert.deepEqual([...counts].sort(), [0, 0, 0, 0, 0, 3]);
    });

    it('lets exactly one of several writers take a seq', async function () {
      const store = current();
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.appendAudit(makeAuditEvent(1, { hash: `h${i}` }))),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof DuplicateKeyError);
    });

    it('filters by time, request, mailbox, actor, ticket and seq, ascending, with a limit', async function () {
      const store = current();
      const events = [
        makeAuditEvent(1, { requestId: 'R1', ticket: 'T1', mailbox: 'Alex@Contoso.example', actor: person('a1') }),
        makeAuditEvent(2, { requestId: 'R2', ticket: 'T2', mailbox: 'bob@contoso.example', actor: person('a2') }),
        makeAuditEvent(3, {
          requestId: 'R1',
          ticket: 'T1',
          mailbox: 'alex@contoso.example',
          actor: person('system'),
          details: { requester: person('a1') },
        }),
        makeAuditEvent(4, {
          type: 'finding',
          actor: person('system'),
          requestId: undefined,
          ticket: undefined,
          mailbox: undefined,
          details: {},
        }),
        makeAuditEvent(5, { requestId: 'R2', ticket: 'T2', mailbox: 'bob@contoso.example', actor: person('a2') }),
      ];
      for (const e of [...events].reverse()) await store.appendAudit(e);
      const seqs = async (q: Parameters<AuditStore['listAudit']>[0]) => (await store.listAudit(q)).map((e) => e.seq);
      assert.deepEqual(await seqs({}), [1, 2, 3, 4, 5]);
      assert.deepEqual(await seqs({ from: events[1].at, to: events[3].at }), [2, 3, 4]);
      assert.deepEqual(await seqs({ requestId: 'R1' }), [1, 3]);
      assert.deepEqual(await seqs({ mailbox: 'ALEX@contoso.example' }), [1, 3]);
      assert.deepEqual(await seqs({ actorId: 'a1' }), [1, 3]);
      assert.deepEqual(await seqs({ actorId: 'system' }), [3, 4]);
      assert.deepEqual(await seqs({ ticket: 'T2' }), [2, 5]);
      assert.deepEqual(await seqs({ fromSeq: 3 }), [3, 4, 5]);
      assert.deepEqual(await seqs({ fromSeq: 2, limit: 2 }), [2, 3]);
      assert.deepEqual(await seqs({ requestId: 'R2', fromSeq: 3, actorId: 'a2' }), [5]);
      assert.deepEqual(await seqs({ ticket: 'none' }), []);
      assert.deepEqual(await store.listAudit({ requestId: 'R1', limit: 1 }), [events[0]]);
    });

    it('deletes through a seq and keeps an anchor', async function () {
      const store = current();
      for (let seq = 1; seq <= 5; seq++) await store.appendAudit(makeAuditEvent(seq));
      assert.equal(await store.deleteAuditThrough(3), 3);
      assert.deepEqual(
        (await store.listAudit({})).map((e) => e.seq),
        [4, 5],
      );
      assert.equal(await store.deleteAuditThrough(3), 0);
      assert.equal((await store.lastAudit())?.seq, 5);

      assert.equal(await store.getAuditAnchor(), null);
      const anchor = { seq: 4, prevHash: 'hash-3', removedThrough: 3, exportedTo: 'audit-export-1.jsonl', at: T0 };
      await store.setAuditAnchor(anchor);
      assert.deepEqual(await store.getAuditAnchor(), anchor);
      const later = { ...anchor, seq: 6, removedThrough: 5, prevHash: 'hash-5' };
      await store.setAuditAnchor(later);
      assert.deepEqual(await store.getAuditAnchor(), later);
    });
  });
}
