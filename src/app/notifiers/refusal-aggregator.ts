import type { AccessRequest } from '../../domain/types';
import { SYSTEM_ACTOR } from '../../domain/types';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { AuditSink, Notifier, SecurityNoticeKind } from '../ports';
import { ForwardingNotifier } from './forwarding-notifier';
import { currentActor } from './turn-actor';

/** At most one refusal notice per actor and kind in this window; the rest are counted into a summary. */
export const REFUSAL_WINDOW_MS = 15 * 60_000;

const MAX_QUIET_STREAMS = 1_000;

interface Stream {
  actor: string;
  refusalKind: string;
  /** When the last notice of this stream went out. */
  sentAt: number;
  /** Refusals held back since then, and the latest one's text. */
  held: number;
  lastText: string;
}

/**
 * Keeps refusal notices from burying the security conversation: per actor
 * (the turn's caller, or extra.actorKey) and kind (extra.refusalKind, else
 * the notice kind), the first goes out at once; later ones within
 * REFUSAL_WINDOW_MS are held and summarised with their count once the
 * window has passed. Each held notice is still audited one by one, and the
 * refusal itself is audited by the use case that refused.
 */
export class RefusalAggregator extends ForwardingNotifier {
  private readonly streams = new Map<string, Stream>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    inner: Notifier,
    private readonly audit: AuditSink,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Real timers deliver the summaries; tests call flushDue() with a manual clock instead. */
    private readonly useTimer = true,
  ) {
    super(inner);
  }

  override async tellSecurity(
    kind: SecurityNoticeKind,
    request: AccessRequest | null,
    text: string,
    extra?: Record<string, unknown>,
  ): Promise<void> {
    if (kind !== 'refused') return this.inner.tellSecurity(kind, request, text, extra);
    const actor = typeof extra?.actorKey === 'string' ? extra.actorKey : (currentActor() ?? 'system');
    const refusalKind = typeof extra?.refusalKind === 'string' ? extra.refusalKind : kind;
    const key = `${actor}\u0000${refusalKind}`;
    const now = this.clock.now();
    if (this.streams.size > MAX_QUIET_STREAMS) this.forgetQuiet(now);
    const stream = this.streams.get(key);
    if (stream && now - stream.sentAt < REFUSAL_WINDOW_MS) {
      stream.held += 1;
      stream.lastText = text;
      // Foreign activities are counted by their sender's gate, not written: they must not reach the store one by one.
      if (extra?.countedElsewhere !== true)
        await this.audit.append({
          type: 'notice.security.held',
          actor: SYSTEM_ACTOR,
          requestId: request?.id,
          details: { kind, refusalKind, actor, text, heldInWindow: stream.held },
        });
      this.schedule(stream.sentAt + REFUSAL_WINDOW_MS - now);
      return;
    }
    this.streams.set(key, { actor, refusalKind, sentAt: now, held: 0, lastText: text });
    await this.inner.tellSecurity(kind, request, text, extra);
  }

  /** Sends the summary of every stream whose window has passed with refusals held; forgets quiet streams. */
  async flushDue(): Promise<void> {
    const now = this.clock.now();
    for (const [key, stream] of this.streams) {
      if (now - stream.sentAt < REFUSAL_WINDOW_MS) continue;
      if (stream.held === 0) {
        this.streams.delete(key);
        continue;
      }
      const held = stream.held;
      stream.held = 0;
      stream.sentAt = now;
      const minutes = Math.round(REFUSAL_WINDOW_MS / 60_000);
      await this.inner
        .tellSecurity(
          'refused',
          null,
          `${held} more refusal(s) like this for ${stream.actor} in the last ${minutes} minutes (each one is in the audit trail). The latest: ${stream.lastText}`,
          { actorKey: stream.actor, refusalKind: stream.refusalKind, summarised: held },
        )
        .catch((error: unknown) => this.logger.warn({ err: error }, 'refusal summary not delivered'));
    }
    const waiting = [...this.streams.values()].filter((stream) => stream.held > 0);
    if (waiting.length > 0) this.schedule(Math.min(...waiting.map((stream) => stream.sentAt + REFUSAL_WINDOW_MS - now)));
  }

  /** Many senders (a flood of made-up IDs) must not grow memory: streams with nothing held and a passed window go. */
  private forgetQuiet(now: number): void {
    for (const [key, stream] of this.streams) if (stream.held === 0 && now - stream.sentAt >= REFUSAL_WINDOW_MS) this.streams.delete(key);
  }

  /** Stops the summary timer (held refusals stay in the audit trail). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (!this.useTimer || this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.flushDue();
      },
      Math.max(1, delayMs),
    );
    this.timer.unref();
  }
}
