import assert from 'node:assert/strict';
import { ForwardingNotifier } from '../../src/app/notifiers/forwarding-notifier';
import { REFUSAL_WINDOW_MS, RefusalAggregator } from '../../src/app/notifiers/refusal-aggregator';
import { runForActor } from '../../src/app/notifiers/turn-actor';
import type { Notifier, SecurityNoticeKind } from '../../src/app/ports';
import type { AuditInput } from '../../src/audit/audit-log';
import { ManualClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';

const MINUTE = 60_000;

/** Records what reaches the security conversation. */
class RecordingNotifier extends ForwardingNotifier {
  readonly sent: { kind: SecurityNoticeKind; text: string }[] = [];
  constructor() {
    super({} as Notifier);
  }
  override tellSecurity(kind: SecurityNoticeKind, _request: unknown, text: string): Promise<void> {
    this.sent.push({ kind, text });
    return Promise.resolve();
  }
}

describe('refusal notices to the security conversation are aggregated per actor and kind', () => {
  let clock: ManualClock;
  let inner: RecordingNotifier;
  let audited: AuditInput[];
  let notices: RefusalAggregator;
  const refuse = (actor: string, text: string, refusalKind?: string) =>
    runForActor(actor, () => notices.tellSecurity('refused', null, text, refusalKind ? { refusalKind } : undefined));

  beforeEach(() => {
    clock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0, 0));
    inner = new RecordingNotifier();
    audited = [];
    notices = new RefusalAggregator(inner, { append: async (event) => void audited.push(event) }, clock, silentLogger, false);
  });

  it('sends the first at once, holds the rest, and summarises them with their count once the window has passed', async () => {
    await refuse('mallory', 'Refused approve by Mallory on CUS-2026-0001');
    assert.equal(inner.sent.length, 1);
    for (let i = 2; i <= 500; i += 1) {
      clock.advance(1_000);
      await refuse('mallory', `Refused approve by Mallory on CUS-2026-${String(i).padStart(4, '0')}`);
    }
    assert.equal(inner.sent.length, 1, '499 more within the window are held');
    assert.equal(audited.filter((event) => event.type === 'notice.security.held').length, 499, 'each held notice is audited');
    await notices.flushDue();
    assert.equal(inner.sent.length, 1, 'no summary before the window has passed');
    clock.set(Date.UTC(2026, 11, 1, 9, 0, 0) + REFUSAL_WINDOW_MS);
    await notices.flushDue();
    assert.equal(inner.sent.length, 2);
    assert.match(inner.sent[1].text, /^499 more refusal\(s\) like this for mallory in the last 15 minutes/);
    assert.match(inner.sent[1].text, /CUS-2026-0500$/, 'the summary quotes the latest');
    await notices.flushDue();
    assert.equal(inner.sent.length, 2, 'a summary goes once');
  });

  it('sends at most one summary every 15 minutes while the flood goes on', async () => {
    const start = clock.now();
    for (let minute = 0; minute < 60; minute += 1) {
      await refuse('mallory', `try ${minute}`);
      clock.advance(MINUTE);
      await notices.flushDue();
    }
    const sentAt = inner.sent.length;
    assert.ok(sentAt >= 4 && sentAt <= 5, `an hour of refusals gives the first and one summary per 15 minutes, got ${sentAt}`);
    assert.equal(clock.now() - start, 60 * MINUTE);
  });

  it('keeps actors and kinds apart, and passes other notices through untouched', async () => {
    await refuse('mallory', 'a');
    await refuse('trent', 'b');
    await refuse('mallory', 'c', 'oversized-input');
    await refuse('mallory', 'd');
    await notices.tellSecurity('granted', null, 'granted 1');
    await notices.tellSecurity('granted', null, 'granted 2');
    assert.deepEqual(
      inner.sent.map((notice) => notice.text),
      ['a', 'b', 'c', 'granted 1', 'granted 2'],
    );
  });

  it('starts a new stream once a quiet window has passed', async () => {
    await refuse('mallory', 'first');
    clock.advance(REFUSAL_WINDOW_MS);
    await refuse('mallory', 'second');
    assert.deepEqual(
      inner.sent.map((notice) => notice.text),
      ['first', 'second'],
    );
  });
});
