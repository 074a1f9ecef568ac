import type { AfterAnswer, AfterAnswerJob } from '../app/after-answer';

/** How a piece of work ended: its value, or what it threw. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** What the answer can say: the outcome when the work ended in time, else only that it is still running. */
export type Answerable<T> = { inTime: true; outcome: Outcome<T> } | { inTime: false };

/**
 * Every button answers within a second (issue #12; Teams gives up after
 * 10-15 s, fact 16 of real-tenant.md). Starts `work` as tracked after-answer
 * work and waits for it at most `ms`. When it ends in time the caller answers
 * with its outcome; when it ends later `late` delivers the outcome instead,
 * exactly once. A late failure is delivered and then audited by AfterAnswer.
 */
export function answerWithin<T>(
  afterAnswer: AfterAnswer,
  job: AfterAnswerJob,
  ms: number,
  work: () => Promise<T>,
  late: (outcome: Outcome<T>) => Promise<void>,
): Promise<Answerable<T>> {
  return new Promise((resolve) => {
    let answered = false;
    const answer = (value: Answerable<T>) => {
      answered = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => answer({ inTime: false }), ms);
    const tracked = afterAnswer.run(job, async () => {
      const outcome = await work().then(
        (value): Outcome<T> => ({ ok: true, value }),
        (error: unknown): Outcome<T> => ({ ok: false, error }),
      );
      if (!answered) {
        answer({ inTime: true, outcome });
        return;
      }
      await late(outcome);
      if (!outcome.ok) throw outcome.error;
    });
    // AfterAnswer refuses new work while shutting down: then nothing was started, and the answer says so.
    void tracked.then(() => {
      if (!answered) answer({ inTime: true, outcome: { ok: false, error: new Error(NOT_STARTED) } });
    });
  });
}

export const NOT_STARTED = 'Custodian is restarting and did not start this; nothing was changed. Please try again in a minute.';
