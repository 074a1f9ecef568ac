import assert from 'node:assert/strict';
import { BatchQueue, type Pending } from '../../src/shared/batch-queue';

describe('shared/batch-queue', () => {
  it('hands what arrives during a batch over as the next batch, up to the maximum', async () => {
    const batches: number[][] = [];
    const queue = new BatchQueue<number, number>(
      async (batch) => {
        batches.push(batch.map((pending) => pending.item));
        await new Promise((resolve) => setTimeout(resolve, 5));
        for (const pending of batch) pending.resolve(pending.item * 10);
      },
      { maxBatch: 3 },
    );
    const first = [1, 2].map((n) => queue.add(n));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [3, 4, 5, 6].map((n) => queue.add(n));
    assert.deepEqual(await Promise.all([...first, ...later]), [10, 20, 30, 40, 50, 60]);
    assert.deepEqual(batches, [[1, 2], [3, 4, 5], [6]], 'callers of one tick together; no batch above the maximum');
  });

  it("starts the first batch in the first caller's turn when asked to", async () => {
    const batches: number[][] = [];
    const queue = new BatchQueue<number, void>(
      async (batch) => {
        batches.push(batch.map((pending) => pending.item));
        for (const pending of batch) pending.resolve();
      },
      { maxBatch: 10, startAtOnce: true },
    );
    await Promise.all([1, 2, 3].map((n) => queue.add(n)));
    assert.deepEqual(batches, [[1], [2, 3]]);
  });

  it('rejects the callers a failing batch left unanswered, keeps the answers it gave, and goes on', async () => {
    const queue = new BatchQueue<string, string>(
      async (batch: Pending<string, string>[]) => {
        if (batch[0].item === 'good') return batch[0].resolve('ok');
        batch[0].resolve('answered before the failure');
        throw new Error('store down');
      },
      { maxBatch: 10 },
    );
    const results = await Promise.allSettled(['a', 'b', 'c'].map((item) => queue.add(item)));
    assert.deepEqual(
      results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message)),
      ['answered before the failure', 'store down', 'store down'],
    );
    assert.equal(await queue.add('good'), 'ok');
  });
});
