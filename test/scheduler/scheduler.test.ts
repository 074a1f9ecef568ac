import assert from 'node:assert/strict';
import { clearLease } from '../../src/app/persistence/leases';
import type { AccessRequest } from '../../src/domain/types';
import { Scheduler, type SchedulerOptions } from '../../src/scheduler/scheduler';
import { ManualClock, systemClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/store';
import { makeRequest } from '../store/fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds (or fails after `ms`). */
async function eventually(check: () => boolean | Promise<boolean>, ms = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what} not reached within ${ms} ms`);
    await sleep(10);
  }
}

describe('scheduler', () => {
  let store: Store;
  let scheduler: Scheduler | undefined;

  beforeEach(() => {
    store = SqliteStore.open(':memory:');
  });

  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await store.close();
  });

  function make(overrides: Partial<SchedulerOptions> & Pick<SchedulerOptions, 'work'>): Scheduler {
    scheduler = new Scheduler({
      store,
      clock: systemClock,
      logger: silentLogger,
      owner: 'test',
      leaseMs: 60_000,
      intervalMs: 50,
      batchSize: 100,
      concurrency: 10,
      lookaheadMs: 2_000,
      maxHeld: 100,
      maxClaimPerRound: 100,
      release: async (request) => {
        await store.updateRequest(clearLease(request), request.version);
      },
      ...overrides,
    });
    return scheduler;
  }

  it('claims work ahead and starts each item when it falls due, not before', async () => {
    const now = Date.now();
    const requests = [300, 600, 900].map((ahead) => makeRequest({ dueAt: now + ahead }));
    for (const request of requests) await store.insertRequest(request);
    const started = new Map<string, number>();
    make({ work: async (request) => void started.set(request.id, Date.now()) }).start();

    // Claimed (leased to this instance) well before the first is due.
    await eventually(async () => (await store.getRequest(requests[2].id))?.leaseOwner?.startsWith('test#') === true, 250, 'claim ahead');
    assert.equal(started.size, 0, 'nothing starts early');
    await eventually(() => started.size === 3, 3_000, 'all started');
    for (const request of requests) {
      const at = started.get(request.id)!;
      assert.ok(at >= request.dueAt!, `${request.id} started ${request.dueAt! - at} ms early`);
      assert.ok(at - request.dueAt! < 250, `${request.id} started ${at - request.dueAt!} ms late`);
    }
  });

  it('leases what it claims ahead until its due time plus the lease', async () => {
    const now = Date.now();
    const request = makeRequest({ dueAt: now + 1_500 });
    await store.insertRequest(request);
    make({ work: async () => undefined, leaseMs: 10_000 }).start();
    await eventually(async () => (await store.getRequest(request.id))?.leaseUntil !== undefined, 1_000, 'claim');
    assert.equal((await store.getRequest(request.id))?.leaseUntil, request.dueAt! + 10_000);
  });

  it('claims no more than its share per round and holds no more than its maximum', async () => {
    const now = Date.now();
    for (let i = 0; i < 30; i++) await store.insertRequest(makeRequest({ dueAt: now + 60_000 + i }));
    const s = make({ work: async () => undefined, lookaheadMs: 120_000, maxClaimPerRound: 4, maxHeld: 10, batchSize: 3 });
    s.start();
    await eventually(() => s.heldCount === 10, 2_000, 'held maximum');
    await sleep(200);
    assert.equal(s.heldCount, 10, 'never more than maxHeld');
    // Everything else stays claimable by other instances.
    assert.equal((await store.claimDue({ now, horizon: now + 120_000, owner: 'other', leaseMs: 1000, limit: 100 })).length, 20);
  });

  it('gives back, when stopped, the leases of work it claimed ahead and did not start', async () => {
    const now = Date.now();
    const request = makeRequest({ dueAt: now + 5_000 });
    await store.insertRequest(request);
    const s = make({ work: async () => assert.fail('not due yet'), lookaheadMs: 10_000 });
    s.start();
    await eventually(() => s.heldCount === 1, 1_000, 'claim');
    await s.stop();
    const stored = await store.getRequest(request.id);
    assert.equal(stored?.leaseOwner, undefined);
    assert.equal(stored?.dueAt, request.dueAt);
    assert.equal(
      (await store.claimDue({ now, horizon: now + 10_000, owner: 'other', leaseMs: 1000, limit: 5 })).length,
      1,
      'another instance can take it at once',
    );
  });

  it('does not start a request again while its earlier work is still running', async () => {
    const request = makeRequest({ dueAt: Date.now() - 1 });
    await store.insertRequest(request);
    let running = 0;
    let overlapped = false;
    let runs = 0;
    let release!: () => void;
    const firstDone = new Promise<void>((resolve) => (release = resolve));
    make({
      work: async (claimed) => {
        runs++;
        running++;
        if (running > 1) overlapped = true;
        if (runs === 1) {
          // The work leaves the request due again at once (as a revocation does for the after-access notice) and goes on.
          const { leaseOwner: _o, leaseUntil: _u, ...free } = claimed;
          await store.updateRequest({ ...free, dueAt: Date.now() - 1 }, claimed.version);
          await firstDone;
        }
        running--;
      },
    }).start();
    await eventually(() => runs === 1, 1_000, 'first run');
    await sleep(300);
    assert.equal(runs, 1, 'claimed again, but not started while the first run is still going');
    release();
    await eventually(() => runs >= 2, 1_000, 'second run');
    assert.equal(overlapped, false);
  });

  describe('runOnce (a round on demand)', () => {
    it('works what is due now, holds what falls due within the lookahead, and works it in a later round once due', async () => {
      const clock = new ManualClock(Date.UTC(2026, 10, 30, 9, 0, 0));
      const now = clock.now();
      const dueNow = makeRequest({ dueAt: now - 1 });
      const soon = makeRequest({ dueAt: now + 1_000 });
      const later = makeRequest({ dueAt: now + 60_000 });
      for (const request of [dueNow, soon, later]) await store.insertRequest(request);
      const worked: string[] = [];
      const s = make({ clock, work: async (request: AccessRequest) => void worked.push(request.id) });
      assert.equal(await s.runOnce(), 1);
      assert.deepEqual(worked, [dueNow.id]);
      assert.equal(s.heldCount, 1, 'the one due soon is held');
      assert.ok((await store.getRequest(soon.id))?.leaseOwner, 'and leased');
      assert.equal((await store.getRequest(later.id))?.leaseOwner, undefined, 'beyond the lookahead: not claimed');
      clock.advance(1_000);
      assert.equal(await s.runOnce(), 1);
      assert.deepEqual(worked, [dueNow.id, soon.id]);
    });
  });
});
