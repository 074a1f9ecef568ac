import type { DriftSweep } from '../../domain/drift-sweep';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';
import type { FindingCards } from '../ports';
import type { DriftSettings } from './drift-settings';
import { runSweep, type SweepProgress } from './run-sweep';

export type SweepTrigger = { kind: DriftSweep['trigger']; by?: Person };

/**
 * The sweeps of this process, run in the background so that a long sweep
 * never holds up revocations in the scheduler's round, one at a time per
 * instance. Two instances may sweep at once; findings are keyed by the
 * permission, so they are recorded and announced once. Not a use case: the
 * use cases (requestSweep, the scheduled firing) ask it to start one.
 */
export class SweepRunner {
  private running: { promise: Promise<DriftSweep | null>; progress: SweepProgress } | null = null;
  private stoppingNow = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly cards: FindingCards,
    readonly settings: DriftSettings,
  ) {}

  /** Progress of the sweep running here, if any. */
  current(): SweepProgress | null {
    return this.running ? { ...this.running.progress } : null;
  }

  /** True once stop() was called: nothing new starts. */
  get stopping(): boolean {
    return this.stoppingNow;
  }

  /** Starts a sweep unless one is running here or the process is stopping; returns at once. */
  start(trigger: SweepTrigger): void {
    if (this.running || this.stoppingNow) {
      this.ctx.logger.info({ trigger: trigger.kind }, 'a sweep is already running here; not starting another');
      return;
    }
    const progress: SweepProgress = { sweepId: '', startedAt: this.ctx.clock.now(), inScope: 0, read: 0 };
    const promise = runSweep(this.ctx, this.cards, this.settings, trigger, {
      stopped: () => this.stoppingNow,
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

  /** Resolves when no sweep is running here (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running.promise;
  }

  /** Stops a running sweep between mailboxes (it reports what it covered) and waits for it. */
  async stop(): Promise<void> {
    this.stoppingNow = true;
    await this.idle();
  }
}
