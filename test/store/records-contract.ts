import assert from 'node:assert/strict';
import { DuplicateKeyError, type Store } from '../../src/store/store';

/** Keys that MongoDB-compatible servers refuse unless the store encodes them. */
const AWKWARD_BODY = {
  'dotted.key': 1,
  $dollar: 'x',
  nested: [
    [1, 2],
    ['a', { 'deep.er': true }],
  ],
  '': 'empty key',
  absent: undefined as unknown,
};

/**
 * The generic records every Store keeps (reviews, findings, sweeps). Called
 * from the store contract, which hands over a fresh, empty store per test.
 */
export function recordsContract(current: () => Store): void {
  describe('records', function () {
    it('inserts at version 1 and reads back the body unchanged', async function () {
      const store = current();
      const body = { title: 'Review', items: [{ id: 'CUS-2026-0001', reasons: ['FullAccess'] }], count: 3, flag: false, none: null };
      const inserted = await store.insertRecord({ kind: 'review', id: 'REV-1', status: 'open', body });
      assert.deepEqual(inserted, { kind: 'review', id: 'REV-1', version: 1, status: 'open', body });
      assert.deepEqual(await store.getRecord('review', 'REV-1'), inserted);
    });

    it('keeps awkward keys and nested arrays, and drops undefined values', async function () {
      const store = current();
      await store.insertRecord({ kind: 'finding', id: 'F-1', status: 'open', body: AWKWARD_BODY });
      const { absent: _absent, ...expected } = AWKWARD_BODY;
      assert.deepEqual((await store.getRecord('finding', 'F-1'))?.body, expected);
    });

    it('returns null for an unknown record, and keeps kinds apart', async function () {
      const store = current();
      await store.insertRecord({ kind: 'review', id: 'same', status: 'open', body: { a: 1 } });
      await store.insertRecord({ kind: 'finding', id: 'same', status: 'open', body: { b: 2 } });
      assert.equal(await store.getRecord('review', 'other'), null);
      assert.deepEqual((await store.getRecord('review', 'same'))?.body, { a: 1 });
      assert.deepEqual((await store.getRecord('finding', 'same'))?.body, { b: 2 });
    });

    it('refuses a second insert of the same kind and id', async function () {
      const store = current();
      await store.insertRecord({ kind: 'review', id: 'REV-1', status: 'open', body: { n: 1 } });
      await assert.rejects(store.insertRecord({ kind: 'review', id: 'REV-1', status: 'closed', body: { n: 2 } }), DuplicateKeyError);
      assert.deepEqual((await store.getRecord('review', 'REV-1'))?.body, { n: 1 });
    });

    it('updates only at the expected version and stores version + 1', async function () {
      const store = current();
      await store.insertRecord({ kind: 'finding', id: 'F-1', status: 'open', body: { n: 1 } });
      const second = await store.updateRecord('finding', 'F-1', 1, { status: 'removing', body: { n: 2 } });
      assert.deepEqual(second, { kind: 'finding', id: 'F-1', version: 2, status: 'removing', body: { n: 2 } });
      assert.equal(await store.updateRecord('finding', 'F-1', 1, { status: 'allowed', body: { n: 3 } }), null, 'a stale version loses');
      assert.equal(
        await store.updateRecord('finding', 'F-1', 7, { status: 'allowed', body: { n: 3 } }),
        null,
        'a version it never had loses',
      );
      assert.equal(
        await store.updateRecord('finding', 'nope', 1, { status: 'allowed', body: {} }),
        null,
        'an unknown record is not created',
      );
      assert.equal(await store.getRecord('finding', 'nope'), null);
      assert.deepEqual(await store.getRecord('finding', 'F-1'), second);
    });

    it('lets exactly one of several concurrent updates of one version win', async function () {
      const store = current();
      await store.insertRecord({ kind: 'review-item', id: 'CUS-2026-0001', status: 'open', body: {} });
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          store.updateRecord('review-item', 'CUS-2026-0001', 1, { status: 'fine', body: { by: `p${i}` } }),
        ),
      );
      const winners = results.filter((result) => result !== null);
      assert.equal(winners.length, 1);
      assert.deepEqual(await store.getRecord('review-item', 'CUS-2026-0001'), winners[0]);
    });

    it('lists one kind by id, filtered by status, after an id, with a limit', async function () {
      const store = current();
      const statuses = ['open', 'fine', 'open', 'escalated', 'open'];
      for (const [i, status] of statuses.entries())
        await store.insertRecord({ kind: 'review-item', id: `CUS-2026-000${5 - i}`, status, body: { i } });
      await store.insertRecord({ kind: 'review', id: 'CUS-2026-0000', status: 'open', body: {} });
      const ids = async (query: Parameters<Store['listRecords']>[1]) =>
        (await store.listRecords('review-item', query)).map((record) => record.id);
      assert.deepEqual(await ids({ limit: 10 }), ['CUS-2026-0001', 'CUS-2026-0002', 'CUS-2026-0003', 'CUS-2026-0004', 'CUS-2026-0005']);
      assert.deepEqual(await ids({ statuses: ['open'], limit: 10 }), ['CUS-2026-0001', 'CUS-2026-0003', 'CUS-2026-0005']);
      assert.deepEqual(await ids({ statuses: ['fine', 'escalated'], limit: 10 }), ['CUS-2026-0002', 'CUS-2026-0004']);
      assert.deepEqual(await ids({ statuses: ['open'], afterId: 'CUS-2026-0001', limit: 1 }), ['CUS-2026-0003']);
      assert.deepEqual(await ids({ statuses: [], limit: 10 }), []);
      assert.deepEqual(await ids({ limit: 0 }), []);
      const updated = await store.updateRecord('review-item', 'CUS-2026-0001', 1, { status: 'fine', body: { i: 4 } });
      assert.ok(updated);
      assert.deepEqual(
        await ids({ statuses: ['open'], limit: 10 }),
        ['CUS-2026-0003', 'CUS-2026-0005'],
        'the status filter follows updates',
      );
      assert.deepEqual((await store.listRecords('review-item', { statuses: ['fine'], limit: 1 }))[0], updated);
    });

    it('names a bad kind, id, status or limit', async function () {
      const store = current();
      await assert.rejects(store.insertRecord({ kind: 'Bad Kind', id: 'x', status: 'open', body: {} }), /kind/);
      await assert.rejects(store.insertRecord({ kind: 'review', id: '', status: 'open', body: {} }), /id/);
      await assert.rejects(store.insertRecord({ kind: 'review', id: 'x', status: '', body: {} }), /status/);
      await assert.rejects(store.listRecords('review', { limit: -1 }), /limit/);
      await assert.rejects(store.updateRecord('review', 'x', 1.5, { status: 'open', body: {} }), /expectedVersion/);
    });
  });
}
