import type { CloudAdapter, Activity, ConversationReference, TurnContext } from 'botbuilder';
import { describeAccess } from '../domain/access-level';
import { formatUtc } from '../domain/time-format';
import type { AccessRequest, PostedCard } from '../domain/types';
import type { ConversationPurpose, Notifier, SecurityNoticeKind } from '../app/ports';
import { errorText } from '../shared/error-text';
import type { Logger } from '../shared/logger';
import { CardFactory, cardAttachment, type NoticeContent } from './card-factory';
import type { CardJson } from './cards/render-template';
import type { ConversationBook } from '../app/conversations/conversation-book';
import { userConversationKey } from '../app/conversations/conversation-keys';
import { sharedRights } from '../app/requests/viewer-rights';
import { escapeMessageText } from './outgoing-text';
import { Semaphore } from '../shared/semaphore';

/** Proactive sends in flight at once; the rest wait, answers to people first. */
export const DEFAULT_SEND_LIMIT = 8;

const NOTICE_STYLE: Record<SecurityNoticeKind, { title: string; color: NoticeContent['color'] }> = {
  granted: { title: 'Access granted', color: 'Warning' },
  revoked: { title: 'Access revoked', color: 'Good' },
  'grant-failed': { title: 'Grant failed', color: 'Attention' },
  'revoke-manual-action': { title: 'Revocation failing: manual action needed', color: 'Attention' },
  refused: { title: 'Refused action', color: 'Attention' },
  'standing-access': { title: 'Standing access found', color: 'Attention' },
  expired: { title: 'Request expired undecided', color: 'Default' },
  rejected: { title: 'Request rejected', color: 'Default' },
  activity: { title: 'Activity during access', color: 'Accent' },
  summary: { title: 'Daily summary', color: 'Default' },
  'review-escalated': { title: 'Access review: grant escalated', color: 'Attention' },
  sweep: { title: 'Drift sweep', color: 'Default' },
  'finding-removed': { title: 'Standing access removed', color: 'Good' },
  'conversation-registered': { title: 'Conversation registered', color: 'Warning' },
  trace: { title: 'Admin-audit correlation', color: 'Attention' },
  extension: { title: 'Grant extension', color: 'Warning' },
};

/**
 * Tells people things in Teams through stored conversation references
 * (proactive messages). Delivery problems are logged, never thrown: the
 * request's state and audit trail are already persisted.
 */
export class TeamsNotifier implements Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly conversations: ConversationBook,
    private readonly cards: CardFactory,
    private readonly logger: Logger,
    /**
     * A burst of expiries makes thousands of notices and card updates. Each
     * costs the bot CPU (a connector client, the HTTP call), so they go a few
     * at a time: the Exchange removals behind them are not starved, and Teams
     * is not flooded (it answers 429 beyond its bot limits, e.g. 50 requests
     * per second per app and tenant; Microsoft: "Optimize your bot with rate
     * limiting in Teams").
     */
    private readonly sends = new Semaphore(DEFAULT_SEND_LIMIT),
  ) {}

  async postApprovalCard(request: AccessRequest): Promise<PostedCard[]> {
    const card = this.cards.request(request, sharedRights(request, 'approval'), {
      refreshUserIds: await this.conversations.refreshUserIds(request),
    });
    const roleConversations = request.requiredApprovals
      .map((requirement) => requirement.role)
      .filter((role) => role === 'hr' || role === 'dpo');
    const posted: PostedCard[] = [];
    for (const conversationKey of ['approvals', ...new Set(roleConversations)]) {
      if (conversationKey !== 'approvals' && !(await this.conversations.reference(conversationKey))) continue;
      const activityId = await this.send(conversationKey, { type: 'message', attachments: [cardAttachment(card)] }, request.id);
      if (activityId) posted.push({ conversationKey, activityId, view: 'approval' });
    }
    return posted;
  }

  async refreshCards(request: AccessRequest): Promise<void> {
    if (request.cards.length === 0) return;
    const refreshUserIds = await this.conversations.refreshUserIds(request);
    for (const posted of request.cards) {
      const card = this.cards.request(request, sharedRights(request, posted.view), {
        refreshUserIds: posted.view === 'approval' ? refreshUserIds : [],
      });
      await this.update(posted, card, request.id);
    }
  }

  async tellRequester(request: AccessRequest, text: string): Promise<void> {
    await this.send(userConversationKey(request.requester.aadObjectId), { type: 'message', text }, request.id);
  }

  async tellApprovers(request: AccessRequest, text: string): Promise<void> {
    await this.send('approvals', { type: 'message', text }, request.id);
  }

  async tellConversation(purpose: ConversationPurpose, text: string): Promise<boolean> {
    return (await this.send(purpose, { type: 'message', text })) !== undefined;
  }

  async tellReference(reference: Record<string, unknown>, text: string): Promise<boolean> {
    let delivered = false;
    await this.inReference(reference, undefined, 'message to a former conversation', async (context) => {
      await context.sendActivity({ type: 'message', text });
      delivered = true;
    });
    return delivered;
  }

  async tellSecurity(kind: SecurityNoticeKind, request: AccessRequest | null, text: string): Promise<void> {
    const style = NOTICE_STYLE[kind];
    const facts = request
      ? [
          { title: 'Request', value: request.id },
          { title: 'Requester', value: request.requester.upn ?? request.requester.aadObjectId },
          { title: 'Mailbox', value: request.mailbox.upn },
          { title: 'Access', value: describeAccess(request.access, request.folder) },
          { title: 'Ticket', value: request.ticket },
          { title: 'Jurisdiction', value: request.jurisdiction },
          ...(request.approvals.length
            ? [
                {
                  title: 'Approved by',
                  value: request.approvals.map((approval) => approval.approver.name ?? approval.approver.aadObjectId).join(', '),
                },
              ]
            : []),
          ...(request.expiresAt !== undefined && request.status === 'active'
            ? [{ title: 'Until', value: formatUtc(request.expiresAt) }]
            : []),
        ]
      : [];
    const card = this.cards.notice({
      title: style.title,
      color: style.color,
      text,
      facts,
      footer: request ? `Type "status ${request.id}" for the full history.` : '',
    });
    await this.send('security', { type: 'message', attachments: [cardAttachment(card)] }, request?.id);
  }

  /** Posts a card (access review, drift finding) to the security conversation; undefined when none is registered or Teams failed. */
  async postSecurityCard(card: CardJson, subject?: string): Promise<{ conversationKey: string; activityId: string } | undefined> {
    const activityId = await this.send('security', { type: 'message', attachments: [cardAttachment(card)] }, subject);
    return activityId ? { conversationKey: 'security', activityId } : undefined;
  }

  /** Replaces a card posted with postSecurityCard in place. */
  async updatePostedCard(posted: { conversationKey: string; activityId: string }, card: CardJson, subject = ''): Promise<void> {
    await this.update({ ...posted, view: 'status' }, card, subject);
  }

  private async send(key: string, activity: Partial<Activity>, requestId?: string): Promise<string | undefined> {
    let id: string | undefined;
    escapeMessageText(activity);
    await this.inConversation(key, requestId, 'proactive message', async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  private async update(posted: PostedCard, card: CardJson, requestId: string): Promise<void> {
    await this.inConversation(posted.conversationKey, requestId, 'card update', async (context) => {
      await context.updateActivity({ type: 'message', id: posted.activityId, attachments: [cardAttachment(card)] });
    });
  }

  /** A message into the conversation of an earlier turn (a command's outcome that comes after its answer). */
  async replyLater(reference: Partial<ConversationReference>, text: string, subject?: string): Promise<void> {
    await this.inReference(
      reference,
      subject,
      'follow-up message',
      async (context) => {
        const message: Partial<Activity> = { type: 'message', text };
        escapeMessageText(message);
        await context.sendActivity(message);
      },
      { urgent: true },
    );
  }

  /** A card into the conversation of an earlier turn; its activity ID, or undefined when Teams failed. */
  async cardLater(reference: Partial<ConversationReference>, card: CardJson, subject?: string): Promise<string | undefined> {
    let id: string | undefined;
    await this.inReference(
      reference,
      subject,
      'follow-up card',
      async (context) => {
        id = (await context.sendActivity({ type: 'message', attachments: [cardAttachment(card)] }))?.id;
      },
      { urgent: true },
    );
    return id;
  }

  /** Runs `work` in a stored conversation. */
  private async inConversation(
    key: string,
    requestId: string | undefined,
    what: string,
    work: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    let reference: Record<string, unknown> | null | undefined;
    try {
      reference = await this.conversations.reference(key);
    } catch (error) {
      this.logger.warn({ err: error, conversation: key, requestId }, `${what} failed`);
      return;
    }
    if (!reference) {
      this.logger.info({ conversation: key, requestId }, `no conversation registered; ${what} not delivered`);
      return;
    }
    await this.inReference(reference, requestId, what, work, { key });
  }

  /**
   * The adapter hands errors thrown inside the turn to its turn-error handler
   * instead of rejecting, so they are caught here, where the request they
   * concern is known.
   */
  private async inReference(
    reference: Partial<ConversationReference>,
    requestId: string | undefined,
    what: string,
    work: (context: TurnContext) => Promise<void>,
    { key, urgent = false }: { key?: string; urgent?: boolean } = {},
  ): Promise<void> {
    try {
      let failure: unknown;
      await this.sends.run(
        () =>
          this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
            try {
              await work(context);
            } catch (error) {
              failure = error;
            }
          }),
        urgent,
      );
      if (failure) throw failure instanceof Error ? failure : new Error(errorText(failure));
    } catch (error) {
      this.logger.warn({ err: error, conversation: key ?? reference.conversation?.id, requestId }, `${what} failed`);
    }
  }
}
