import { SYSTEM_ACTOR, type Person } from '../domain/types';
import { errorText } from '../shared/error-text';
import type { Logger } from '../shared/logger';
import type { AuditSink } from './ports';

/** What a piece of after-the-answer work is about, for the log and the audit trail. */
export interface AfterAnswerJob {
  /** Short name of the work, e.g. "grant" or "revoke-all". */
  name: string;
  requestId?: string;
  actor?: Person;
}

/**
 * The one way to run work after a click or command has been answered (Teams
 * gives up on an invoke after 10-15 s, fact 16 of real-tenant.md). The work's
 * intent is persisted before it starts, so work that never finishes here (a
 * crash) is finished by the scheduler once its lease lapses. Every piece is
 * tracked: shutdown waits for it, tests await it, and a failure is logged and
 * audited instead of becoming an unhandled rejection.
 */
export class AfterAnswer {
  private readonly running = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly audit: AuditSink,
    private readonly logger: Logger,
  ) {}

  /** Starts `work` now and returns its tracked promise, which never rejects (undefined when it failed or was not started). */
  run<T>(job: AfterAnswerJob, work: () => Promise<T>): Promise<T | undefined> {
    if (this.closed) {
      // Shutting down: the persisted intent stays leased and the scheduler finishes it after the lease lapses.
      this.logger.warn({ job: job.name, requestId: job.requestId }, 'shutting down; work left to the scheduler');
      return Promise.resolve(undefined);
    }
    const tracked: Promise<T | undefined> = Promise.resolve()
      .then(work)
      .catch((error: unknown) => this.failed(job, error))
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return tracked;
  }

  /** Pieces of work under way. */
  get pending(): number {
    return this.running.size;
  }

  /** Resolves once no work is under way, including work that work started meanwhile. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Shutdown: nothing new starts, and what is under way finishes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private async failed(job: AfterAnswerJob, error: unknown): Promise<undefined> {
    const message = errorText(error);
    this.logger.error({ err: error, job: job.name, requestId: job.requestId }, 'work after the answer failed');
    try {
      await this.audit.append({
        type: 'after-answer.failed',
        actor: job.actor ?? SYSTEM_ACTOR,
        ...(job.requestId ? { requestId: job.requestId } : {}),
        details: { job: job.name, error: message },
      });
    } catch (auditError) {
      this.logger.error({ err: auditError, job: job.name, requestId: job.requestId }, 'could not audit the failed work');
    }
    return undefined;
  }
}
