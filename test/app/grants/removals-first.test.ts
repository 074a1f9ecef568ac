import assert from 'node:assert/strict';
import { RemovalsFirst, removalFirst } from '../../../src/app/grants/removals-first';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('app/grants/removals-first: removals before the notices of those done', () => {
  it('holds a finished revocation’s notices until the other removals under way are done', async () => {
    const removals = new RemovalsFirst(60_000);
    const order: string[] = [];
    let finishSecond!: () => void;
    const second = removalFirst(removals, async (beforeNotices) => {
      await new Promise<void>((resolve) => (finishSecond = resolve));
      order.push('second removed');
      await beforeNotices();
      order.push('second notices');
    });
    const first = removalFirst(removals, async (beforeNotices) => {
      order.push('first removed');
      await beforeNotices();
      order.push('first notices');
    });
    await tick();
    assert.deepEqual(order, ['first removed'], 'the first one’s notices wait while the second removal is under way');
    assert.equal(removals.removalsUnderway, 1);
    finishSecond();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first removed', 'second removed', 'first notices', 'second notices']);
    assert.equal(removals.removalsUnderway, 0);
  });

  it('waits at most maxWaitMs, so notices still go out under a removal that hangs', async () => {
    const removals = new RemovalsFirst(20);
    const end = removals.begin();
    const started = Date.now();
    await removalFirst(removals, (beforeNotices) => beforeNotices());
    assert.ok(Date.now() - started >= 15, 'it did wait');
    end();
    assert.equal(removals.removalsUnderway, 0);
  });

  it('ends the count when the work fails, and counts each removal once however often it ends', async () => {
    const removals = new RemovalsFirst(60_000);
    await assert.rejects(
      removalFirst(removals, () => Promise.reject(new Error('Exchange unreachable'))),
      /Exchange unreachable/,
    );
    assert.equal(removals.removalsUnderway, 0);
    const end = removals.begin();
    end();
    end();
    assert.equal(removals.removalsUnderway, 0);
    await removals.settled();
  });

  it('without the gate (tests, tools), work runs with a no-op beforeNotices', async () => {
    let called = false;
    await removalFirst(undefined, async (beforeNotices) => {
      await beforeNotices();
      called = true;
    });
    assert.ok(called);
  });
});
