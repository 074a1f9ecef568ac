import assert from 'node:assert/strict';
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ConversationBook } from '../../src/app/conversations/conversation-book';
import type { CardFactory } from '../../src/teams/card-factory';
import { DEFAULT_SEND_LIMIT, TeamsNotifier } from '../../src/teams/teams-notifier';
import { silentLogger } from '../../src/shared/logger';

/** An adapter whose proactive turns wait until the test lets each one finish; records what was sent. */
class HeldAdapter {
  readonly sent: string[] = [];
  readonly open: (() => void)[] = [];
  running = 0;
  most = 0;

  async continueConversationAsync(_appId: string, _reference: unknown, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    this.running++;
    this.most = Math.max(this.most, this.running);
    await new Promise<void>((resolve) => this.open.push(resolve));
    const context = {
      sendActivity: async (activity: { text?: string }) => {
        this.sent.push(activity.text ?? '');
        return { id: `a${this.sent.length}` };
      },
    };
    await logic(context as unknown as TurnContext);
    this.running--;
  }

  /** Lets the oldest waiting turn finish. */
  finishOne(): void {
    this.open.shift()?.();
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('teams/teams-notifier: proactive sends in a burst', function () {
  it(`sends at most ${DEFAULT_SEND_LIMIT} at once, answers to people before waiting notices, and delivers every one`, async function () {
    const adapter = new HeldAdapter();
    const notifier = new TeamsNotifier(
      adapter as unknown as CloudAdapter,
      'bot-app',
      {} as unknown as ConversationBook,
      {} as unknown as CardFactory,
      silentLogger,
    );
    const reference: Partial<ConversationReference> = {
      conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' },
    };
    const notices = Array.from({ length: 20 }, (_, i) => notifier.tellReference(reference as Record<string, unknown>, `notice ${i + 1}`));
    await tick();
    assert.equal(adapter.running, DEFAULT_SEND_LIMIT, 'the first ones go at once');
    const answer = notifier.replyLater(reference, 'your answer');
    await tick();
    assert.equal(adapter.running, DEFAULT_SEND_LIMIT, 'the answer waits for a free slot too');
    adapter.finishOne();
    await tick();
    // The slot freed by "notice 1" goes to the answer, ahead of the twelve notices waiting before it.
    for (let i = 0; i < DEFAULT_SEND_LIMIT; i++) adapter.finishOne();
    await tick();
    assert.deepEqual(
      adapter.sent.slice(0, DEFAULT_SEND_LIMIT + 1).sort(),
      [...Array.from({ length: DEFAULT_SEND_LIMIT }, (_, i) => `notice ${i + 1}`), 'your answer'].sort(),
    );
    while (adapter.sent.length < 21) {
      adapter.finishOne();
      await tick();
    }
    assert.deepEqual(await Promise.all(notices), Array(20).fill(true));
    await answer;
    assert.equal(adapter.most, DEFAULT_SEND_LIMIT);
  });
});
