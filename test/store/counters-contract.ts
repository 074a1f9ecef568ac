import assert from 'node:assert/strict';
import type { CounterStore } from '../../src/store/store';

/** Named counters. Called from the store contract, which hands over a fresh, empty store per test. */
export function countersContract(current: () => CounterStore): void {
  describe('counters', function () {
    it('counts from 1 per name', async function () {
      const store = current();
      assert.equal(await store.nextSequence('requests'), 1);
      assert.equal(await store.nextSequence('requests'), 2);
      assert.equal(await store.nextSequence('other'), 1);
      assert.equal(await store.nextSequence('requests'), 3);
    });

    it('gives concurrent callers distinct, consecutive values', async function () {
      const store = current();
      const values = await Promise.all(Array.from({ length: 25 }, () => store.nextSequence('busy')));
      assert.deepEqual(
        [...values].sort((a, b) => a - b),
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
    });
  });
}
