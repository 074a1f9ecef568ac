import assert from 'node:assert/strict';
import { mapLimit } from '../../src/shared/map-limit';
import { Semaphore } from '../../src/shared/semaphore';

/** A promise the test settles by hand. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('shared/semaphore', () => {
  it('lets at most `limit` run at once and the rest in arrival order, urgent ones first', async () => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const run = (name: string, urgent = false) =>
      semaphore.run(async () => {
        order.push(name);
        const g = gate();
        gates.set(name, g);
        await g.promise;
      }, urgent);
    const all = [run('a'), run('b'), run('read-1'), run('read-2'), run('change', true)];
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['a', 'b']);
    assert.equal(semaphore.inUse, 2);
    assert.equal(semaphore.queued, 3);
    gates.get('a')!.open();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['a', 'b', 'change'], 'the urgent one overtakes the reads queued before it');
    gates.get('b')!.open();
    gates.get('change')!.open();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['a', 'b', 'change', 'read-1', 'read-2']);
    for (const name of ['read-1', 'read-2']) gates.get(name)!.open();
    await Promise.all(all);
    assert.equal(semaphore.inUse, 0);
  });

  it('frees the slot when the work fails', async () => {
    const semaphore = new Semaphore(1);
    await assert.rejects(
      semaphore.run(() => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await semaphore.run(async () => 'next'), 'next');
    assert.equal(semaphore.inUse, 0);
  });

  it('refuses a limit that is not a positive whole number', () => {
    assert.throws(() => new Semaphore(0), /positive whole number/);
    assert.throws(() => new Semaphore(1.5), /positive whole number/);
  });
});

describe('shared/map-limit', () => {
  it('keeps the input order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (value, index) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, value));
      running--;
      return `${index}:${value}`;
    });
    assert.deepEqual(results, ['0:5', '1:1', '2:4', '3:2', '4:3']);
    assert.equal(most, 2);
  });

  it('handles no items', async () => {
    assert.deepEqual(await mapLimit([], 4, async () => 1), []);
  });
});
