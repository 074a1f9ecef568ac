import assert from 'node:assert/strict';
import { AfterAnswer } from '../../src/app/after-answer';
import type { AuditInput } from '../../src/audit/audit-log';
import { silentLogger } from '../../src/shared/logger';
import { answerWithin, type Outcome } from '../../src/teams/answer-deadline';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('answerWithin: the answer waits for the work at most a deadline', () => {
  let audited: AuditInput[];
  let afterAnswer: AfterAnswer;
  let late: Outcome<string>[];

  beforeEach(() => {
    audited = [];
    late = [];
    afterAnswer = new AfterAnswer({ append: async (input) => audited.push(input) }, silentLogger);
  });

  const job = { name: 'submit' };
  const deliver = async (outcome: Outcome<string>) => {
    late.push(outcome);
  };

  it('work that ends in time is the answer, and nothing is delivered later', async () => {
    const answer = await answerWithin(afterAnswer, job, 200, async () => 'done', deliver);
    assert.deepEqual(answer, { inTime: true, outcome: { ok: true, value: 'done' } });
    await afterAnswer.idle();
    assert.deepEqual(late, []);
  });

  it('an error in time is the answer (the caller says what went wrong), not audited as late work', async () => {
    const answer = await answerWithin(afterAnswer, job, 200, () => Promise.reject(new Error('boom')), deliver);
    assert.equal(answer.inTime && !answer.outcome.ok && (answer.outcome.error as Error).message, 'boom');
    await afterAnswer.idle();
    assert.deepEqual(late, []);
    assert.deepEqual(audited, []);
  });

  it('work past the deadline: the answer says it is still running; the outcome is delivered once, tracked until then', async () => {
    const started = performance.now();
    const answer = await answerWithin(afterAnswer, job, 30, () => wait(150).then(() => 'late value'), deliver);
    assert.deepEqual(answer, { inTime: false });
    assert.ok(performance.now() - started < 140, 'the answer did not wait for the work');
    assert.equal(afterAnswer.pending, 1, 'the work is tracked');
    await afterAnswer.idle();
    assert.deepEqual(late, [{ ok: true, value: 'late value' }]);
  });

  it('a late failure is delivered and audited', async () => {
    await answerWithin(
      afterAnswer,
      { name: 'submit', requestId: 'CUS-2026-0001' },
      10,
      () => wait(50).then(() => Promise.reject(new Error('Exchange down'))),
      deliver,
    );
    await afterAnswer.idle();
    assert.equal(late.length, 1);
    assert.equal(late[0].ok, false);
    assert.equal(audited.length, 1);
    assert.equal(audited[0].type, 'after-answer.failed');
    assert.deepEqual(audited[0].details, { job: 'submit', error: 'Exchange down' });
  });

  it('while shutting down nothing starts, and the answer says so at once', async () => {
    await afterAnswer.close();
    let ran = false;
    const answer = await answerWithin(
      afterAnswer,
      job,
      5_000,
      async () => {
        ran = true;
        return 'x';
      },
      deliver,
    );
    assert.equal(ran, false);
    assert.equal(answer.inTime && answer.outcome.ok, false);
  });
});
