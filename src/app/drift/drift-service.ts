import type { DriftSweep } from '../../domain/drift-sweep';
import { ROLE_SECURITY } from '../../domain/policy';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';
import type { FindingCards } from './drift-ports';
import type { DriftSettings } from './drift-settings';
import { processDueRemovals } from './execute-removal';
import { runSweep, type SweepProgress } from './run-sweep';

export type SweepRequestResult =
  | { ok: true; started: true; inScope: 'all' | number }
  | { ok: true; started: false; running: SweepProgress }
  | { ok: false; message: string };

/**
 * Drift detection in one process: starts sweeps (scheduled or on demand) in
 * the background, so that a long sweep never holds up revocations in the
 * scheduler's round, runs one sweep at a time per instance, and works due
 * removals. Two instances may sweep at once; findings are keyed by the
 * permission, so they are recorded and announced once.
 */
export class DriftService {
  private running: { promise: Promise<DriftSweep | null>; progress: SweepProgress } | null = null;
  private stopping = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly cards: FindingCards,
    readonly settings: DriftSettings,
  ) {}

  /** The scheduled sweep's firing: starts it and returns (the sweep reports to the security conversation). */
  async runScheduled(_firedAt: number): Promise<void> {
    this.start({ kind: 'schedule' });
  }

  /** "sweep" in chat: security role only (refusals audited and reported); starts a sweep unless one is running here. */
  async requestSweep(actor: Person): Promise<SweepRequestResult> {
    if (!(await this.ctx.roles.hasRole(actor, ROLE_SECURITY))) {
      await this.ctx.audit.append({ type: 'refused.sweep', actor, details: { reason: 'not in the security role' } });
      await this.ctx.notifier.tellSecurity('refused', null, `${actor.name ?? actor.aadObjectId} tried to start a drift sweep without the security role.`);
      return { ok: false, message: 'Only members of the security role can start a sweep.' };
    }
    if (this.running) return { ok: true, started: false, running: { ...this.running.progress } };
    if (this.stopping) return { ok: false, message: 'Custodian is shutting down; no sweep was started.' };
    this.start({ kind: 'on-demand', by: actor });
    return { ok: true, started: true, inScope: this.settings.mailboxes?.length ?? 'all' };
  }

  /** Resolves when no sweep is running here (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running.promise;
  }

  /** Stops a running sweep between mailboxes (it reports what it covered) and waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  /** For each scheduler round. */
  async processDueRemovals(): Promise<number> {
    if (this.stopping) return 0;
    return processDueRemovals(this.ctx, this.cards);
  }

  private start(trigger: { kind: DriftSweep['trigger']; by?: Person }): void {
    if (this.running || this.stopping) {
      this.ctx.logger.info({ trigger: trigger.kind }, 'a sweep is already running here; not starting another');
      return;
    }
    const progress: SweepProgress = { sweepId: '', startedAt: this.ctx.clock.now(), inScope: 0, read: 0 };
    const promise = runSweep(this.ctx, this.cards, this.settings, trigger, {
      stopped: () => this.stopping,
      onProgress: (now) => Object.assign(progress, now),
    })
      .catch((error: unknown) => {
        this.ctx.logger.error({ err: error }, 'sweep could not be recorded');
        return null;
      })
      .finally(() => {
        this.running = null;
      });
    this.running = { promise, progress };
  }
}
