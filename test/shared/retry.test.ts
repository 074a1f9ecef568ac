import assert from 'node:assert/strict';
import { ManualClock } from '../../src/shared/clock';
import { backoffDelay, jitter, retry, type RetryOptions } from '../../src/shared/retry';

class Transient extends Error {
  constructor(readonly retryAfterMs?: number) {
    super('transient');
  }
}

function harness(overrides: Partial<RetryOptions> = {}) {
  const clock = new ManualClock(0);
  const waits: number[] = [];
  const options: RetryOptions = {
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    budgetMs: 10_000,
    clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock.advance(ms);
    },
    random: () => 0.5,
    isRetryable: (err) => err instanceof Transient,
    retryAfterMs: (err) => (err instanceof Transient ? err.retryAfterMs : undefined),
    ...overrides,
  };
  return { clock, waits, options };
}

describe('shared/retry', () => {
  describe('backoffDelay', () => {
    it('doubles from the base and stops at the cap', () => {
      assert.deepEqual(
        [1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, 100, 1_000)),
        [100, 200, 400, 800, 1_000, 1_000],
      );
    });
    it('rejects an attempt below 1', () => {
      assert.throws(() => backoffDelay(0, 100, 1_000), /attempt must be >= 1/);
    });
    it('does not overflow for very large attempts', () => {
      assert.equal(backoffDelay(5_000, 100, 60_000), 60_000);
    });
  });

  describe('jitter', () => {
    it('keeps the delay between half and the full value', () => {
      assert.equal(
        jitter(1_000, () => 0),
        500,
      );
      assert.equal(
        jitter(1_000, () => 0.999999),
        1_000,
      );
      assert.equal(
        jitter(1_000, () => 0.5),
        750,
      );
    });
  });

  describe('retry', () => {
    it('returns the first success without waiting', async () => {
      const { options, waits } = harness();
      const result = await retry(async () => 'ok', options);
      assert.equal(result, 'ok');
      assert.deepEqual(waits, []);
    });

    it('retries transient failures with growing, jittered delays', async () => {
      const { options, waits } = harness();
      let calls = 0;
      const result = await retry(async ({ attempt }) => {
        calls++;
        if (attempt < 4) throw new Transient();
        return attempt;
      }, options);
      assert.equal(result, 4);
      assert.equal(calls, 4);
      // random() = 0.5 -> 75% of 100, 200, 400
      assert.deepEqual(waits, [75, 150, 300]);
    });

    it('does not retry an error that is not retryable', async () => {
      const { options, waits } = harness();
      let calls = 0;
      await assert.rejects(
        retry(async () => {
          calls++;
          throw new Error('permanent');
        }, options),
        /permanent/,
      );
      assert.equal(calls, 1);
      assert.deepEqual(waits, []);
    });

    it("waits exactly the server's Retry-After instead of its own backoff", async () => {
      const { options, waits } = harness();
      let calls = 0;
      await retry(async () => {
        if (++calls === 1) throw new Transient(2_500);
        return 'ok';
      }, options);
      assert.deepEqual(waits, [2_500]);
    });

    it('fails with the last error when the next wait would exceed the budget', async () => {
      const { options, waits, clock } = harness({ budgetMs: 3_000 });
      let calls = 0;
      const err = await retry(async () => {
        calls++;
        throw new Transient(1_000);
      }, options).catch((e: unknown) => e);
      assert.ok(err instanceof Transient);
      // 0 -> wait 1000 -> 1000 -> wait 1000 -> 2000 -> next wait would reach 3000: stop.
      assert.equal(calls, 3);
      assert.deepEqual(waits, [1_000, 1_000]);
      assert.ok(clock.now() < 3_000);
    });

    it('stops at once when the server asks for a wait longer than the budget', async () => {
      const { options, waits } = harness({ budgetMs: 5_000 });
      await assert.rejects(
        retry(async () => {
          throw new Transient(60_000);
        }, options),
        Transient,
      );
      assert.deepEqual(waits, []);
    });

    it('counts time spent inside attempts against the budget', async () => {
      const { options, clock } = harness({ budgetMs: 1_000 });
      let calls = 0;
      await assert.rejects(
        retry(async () => {
          calls++;
          clock.advance(950); // a slow call: 950 + 75 ms wait would reach the budget
          throw new Transient();
        }, options),
        Transient,
      );
      assert.equal(calls, 1);
    });

    it('honours the attempts limit', async () => {
      const { options } = harness({ attempts: 2 });
      let calls = 0;
      await assert.rejects(
        retry(async () => {
          calls++;
          throw new Transient();
        }, options),
        Transient,
      );
      assert.equal(calls, 2);
    });

    it('tells each attempt how much budget is left and reports retries', async () => {
      const seen: number[] = [];
      const notices: number[] = [];
      const { options } = harness({ budgetMs: 2_000, onRetry: (n) => notices.push(n.delayMs) });
      await retry(async ({ attempt, remainingMs }) => {
        seen.push(remainingMs);
        if (attempt < 3) throw new Transient(400);
        return 'ok';
      }, options);
      assert.deepEqual(seen, [2_000, 1_600, 1_200]);
      assert.deepEqual(notices, [400, 400]);
    });

    it('rejects nonsensical options', async () => {
      const { options } = harness();
      await assert.rejects(
        retry(async () => 1, { ...options, budgetMs: 0 }),
        /budgetMs must be positive/,
      );
      await assert.rejects(
        retry(async () => 1, { ...options, attempts: 0 }),
        /attempts must be >= 1/,
      );
    });
  });
});
