import type { IncomingMessage } from 'node:http';
import { LoopbackConnector, type ConnectorReply } from './loopback-connector';

export interface SentActivity {
  conversationId: string;
  id: string;
  replyToId?: string;
  activity: Record<string, unknown>;
}

export interface UpdatedActivity {
  conversationId: string;
  activityId: string;
  activity: Record<string, unknown>;
}

/**
 * A loopback Bot Framework connector, as Teams exposes it at the activity's
 * serviceUrl: records what the bot sends (POST .../activities), replies to
 * (POST .../activities/{id}) and updates in place (PUT .../activities/{id}).
 */
export class FakeConnector {
  readonly sent: SentActivity[] = [];
  readonly updates: UpdatedActivity[] = [];
  /** Status code to answer the next N sends with (e.g. to simulate Teams being down). */
  failNext = 0;
  private readonly loopback = new LoopbackConnector((req) => this.handle(req));

  /** Listens on a free loopback port, or on `port` again after a restart (Teams keeps its serviceUrl). */
  start(port = 0): Promise<string> {
    return this.loopback.start(port);
  }

  stop(): Promise<void> {
    return this.loopback.stop();
  }

  /** Messages the bot sent to one conversation (channel ID or chat ID). */
  to(conversationId: string): SentActivity[] {
    return this.sent.filter((entry) => sameConversation(entry.conversationId, conversationId));
  }

  texts(conversationId: string): string[] {
    return this.to(conversationId).map((entry) => String(entry.activity.text ?? ''));
  }

  cards(conversationId: string): Record<string, unknown>[] {
    return this.to(conversationId).flatMap((entry) =>
      ((entry.activity.attachments as { content: Record<string, unknown> }[] | undefined) ?? []).map((attachment) => attachment.content),
    );
  }

  /** The latest content of a posted activity, after any in-place updates. */
  latest(conversationId: string, activityId: string): Record<string, unknown> | undefined {
    const updated = [...this.updates]
      .reverse()
      .find((entry) => entry.activityId === activityId && sameConversation(entry.conversationId, conversationId));
    return updated?.activity ?? this.sent.find((entry) => entry.id === activityId)?.activity;
  }

  reset(): void {
    this.sent.length = 0;
    this.updates.length = 0;
  }

  private async handle(req: IncomingMessage): Promise<ConnectorReply> {
    const body = await readJson(req);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
    if (!match) return { status: 404, body: { error: { code: 'NotFound', message: req.url } } };
    if (this.failNext > 0) {
      this.failNext--;
      return { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'simulated outage' } } };
    }
    const conversationId = decodeURIComponent(match[1]);
    const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
    if (req.method === 'PUT' && activityId) {
      this.updates.push({ conversationId, activityId, activity: body });
      return { status: 200, body: { id: activityId } };
    }
    if (req.method === 'POST') {
      const id = this.loopback.nextActivityId();
      this.sent.push({ conversationId, id, replyToId: activityId, activity: body });
      return { status: 200, body: { id } };
    }
    return { status: 405, body: {} };
  }
}

function sameConversation(a: string, b: string): boolean {
  return a.split(';')[0] === b.split(';')[0];
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
