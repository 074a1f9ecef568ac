import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { Notifier } from '../ports';

/** A refused foreign activity is logged at most this often (with the count since the last line). */
const LOG_EVERY_MS = 60_000;

export interface ForeignOriginReport {
  reason: 'channel' | 'tenant';
  value: string;
}

/**
 * Activities from another channel or tenant: refused before anything is
 * stored, counted, logged at a bounded rate, and reported to the security
 * team as one stream (the notifier aggregates it like any refusal).
 */
export class ForeignActivities {
  private total = 0;
  private sinceLog = 0;
  private loggedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** How many have been refused since start. */
  get count(): number {
    return this.total;
  }

  async refuse(origin: ForeignOriginReport): Promise<void> {
    this.total += 1;
    this.sinceLog += 1;
    const now = this.clock.now();
    if (now - this.loggedAt >= LOG_EVERY_MS) {
      this.logger.warn(
        { reason: origin.reason, value: origin.value, refused: this.sinceLog, total: this.total },
        'foreign activity refused',
      );
      this.loggedAt = now;
      this.sinceLog = 0;
    }
    const what = origin.reason === 'channel' ? `channel "${origin.value}"` : `tenant "${origin.value}"`;
    await this.notifier.tellSecurity('refused', null, `An activity from ${what} reached the bot and was refused (${this.total} so far).`, {
      actorKey: 'foreign-origin',
      refusalKind: 'foreign-origin',
      countedElsewhere: true,
    });
  }
}
