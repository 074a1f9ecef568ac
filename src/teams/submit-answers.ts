import { TurnContext, type ConversationReference } from 'botbuilder';
import type { AppContext } from '../app/context';
import { userConversationKey } from '../app/conversations/conversation-keys';
import { latestForViewer, requestForViewer, type RequestForViewer } from '../app/requests/request-for-viewer';
import { rememberStatusCard } from '../app/requests/status-card';
import { submitRequest, type SubmitResult } from '../app/requests/submit-request';
import type { RequestDraft } from '../domain/request-draft';
import type { Person } from '../domain/types';
import { answerWithin, type Outcome } from './answer-deadline';
import { CardFactory, cardAttachment } from './card-factory';
import type { CardJson } from './cards/render-template';
import { failureText } from './user-messages';

/** Delivers what a submit decided after its answer was sent. */
export interface LateDelivery {
  replyLater(reference: Partial<ConversationReference>, text: string, subject?: string): Promise<void>;
  cardLater(reference: Partial<ConversationReference>, card: CardJson, subject?: string): Promise<string | undefined>;
  updatePostedCard(posted: { conversationKey: string; activityId: string }, card: CardJson, subject?: string): Promise<void>;
}

/**
 * Under real latency a submit reads Exchange and Graph for a few seconds
 * before it can answer (fact 11 of real-tenant.md), longer when throttled.
 * The answer waits this long for it, then says "Checking your request…";
 * the rest of the second is for what the turn does around it (remembering
 * the caller, rendering, sending) on a busy machine.
 */
export const SUBMIT_DEADLINE_MS = 600;

/**
 * Request submission from the form (Action.Execute) and from a chat line,
 * answered within SUBMIT_DEADLINE_MS: with the outcome when submitRequest
 * ended by then, else with a "checking" answer that the outcome replaces (the
 * form's card, in place) or follows (the chat line, a new message).
 */
export class SubmitAnswers {
  /** Rendered once: preparing a template costs more than the answer may wait. */
  private readonly checkingCard: CardJson;

  constructor(
    private readonly app: AppContext,
    private readonly cards: CardFactory,
    /** Absent: no way to deliver later, so the answer waits for the outcome. */
    private readonly late?: LateDelivery,
    private readonly deadlineMs = SUBMIT_DEADLINE_MS,
  ) {
    this.checkingCard = cards.notice({
      title: 'Checking your request…',
      text: 'Custodian is checking the mailbox and your account in Microsoft 365. This card shows the outcome in a few seconds.',
      color: 'Accent',
    });
  }

  /** The form's submit button; `statusCardAt` is the form's activity in the personal chat, which becomes the status card. */
  async fromCard(context: TurnContext, caller: Person, draft: RequestDraft, statusCardAt?: string): Promise<CardJson> {
    const reference = TurnContext.getConversationReference(context.activity);
    const statusCard = statusCardAt ? { conversationKey: userConversationKey(caller.aadObjectId), activityId: statusCardAt } : undefined;
    const answer = await this.within(caller, draft, statusCard, async (outcome) => {
      if (statusCard && outcome.ok && outcome.value.ok) return this.replaceWithStatus(caller, outcome.value, statusCard);
      const card = await this.outcomeCard(caller, draft, outcome);
      if (statusCard) await this.late?.updatePostedCard(statusCard, card);
      else await this.late?.cardLater(reference, card);
      if (!outcome.ok) await this.late?.replyLater(reference, failureText(outcome.error));
    });
    if (answer === 'late') return this.checking();
    return this.outcomeCard(caller, draft, answer, true);
  }

  /** A "request …" line in the personal chat. */
  async fromChat(context: TurnContext, caller: Person, draft: RequestDraft): Promise<void> {
    const reference = TurnContext.getConversationReference(context.activity);
    const answer = await this.within(caller, draft, undefined, async (outcome) => {
      if (!outcome.ok) return this.late?.replyLater(reference, failureText(outcome.error));
      const card = await this.outcomeCard(caller, draft, outcome);
      const id = await this.late?.cardLater(reference, card);
      if (id && outcome.value.ok) await this.rememberCard(caller, outcome.value, id);
    });
    if (answer === 'late') {
      await context.sendActivity({ attachments: [cardAttachment(this.checking())] });
      return;
    }
    const card = await this.outcomeCard(caller, draft, answer, true);
    const sent = await context.sendActivity({ attachments: [cardAttachment(card)] });
    if (sent?.id && answer.ok && answer.value.ok) await this.rememberCard(caller, answer.value, sent.id);
  }

  /** The outcome in time, or 'late' when `deliver` will bring it. */
  private async within(
    caller: Person,
    draft: RequestDraft,
    statusCard: { conversationKey: string; activityId: string } | undefined,
    deliver: (outcome: Outcome<SubmitResult>) => Promise<void>,
  ): Promise<Outcome<SubmitResult> | 'late'> {
    const work = () => submitRequest(this.app, caller, draft, statusCard);
    if (!this.late) return work().then((value) => ({ ok: true, value }));
    const answer = await answerWithin(this.app.afterAnswer, { name: 'submit', actor: caller }, this.deadlineMs, work, deliver);
    return answer.inTime ? answer.outcome : 'late';
  }

  /** The request's status card, or the form again with what was wrong; an error in time is thrown to the caller's handler. */
  private async outcomeCard(caller: Person, draft: RequestDraft, outcome: Outcome<SubmitResult>, inTime = false): Promise<CardJson> {
    if (!outcome.ok) {
      if (inTime) throw outcome.error;
      // The form comes back filled in, so nothing typed is lost; the reason follows as a message.
      return this.cards.form(draft);
    }
    const result = outcome.value;
    if (!result.ok) return this.cards.form(draft, result.errors);
    // Late: the request may have moved on while the answer waited, so the stored one is shown.
    const view: RequestForViewer = inTime
      ? await requestForViewer(this.app, caller, result.request)
      : await latestForViewer(this.app, caller, result.request);
    return this.cards.request(view.request, view.rights);
  }

  /**
   * The form's card becomes the status card. Stored with the request, so every
   * change refreshes it; a change stored while this update was on its way could be
   * overwritten by it, so the card is read again until what it shows is the latest.
   */
  private async replaceWithStatus(
    caller: Person,
    result: Extract<SubmitResult, { ok: true }>,
    posted: { conversationKey: string; activityId: string },
  ): Promise<void> {
    let shown: number | undefined;
    for (let round = 0; round < 3; round++) {
      const view = await latestForViewer(this.app, caller, result.request);
      if (view.request.version === shown) return;
      await this.late?.updatePostedCard(posted, this.cards.request(view.request, view.rights), result.request.id);
      shown = view.request.version;
    }
  }

  private async rememberCard(caller: Person, result: Extract<SubmitResult, { ok: true }>, activityId: string): Promise<void> {
    await rememberStatusCard(this.app, result.request, userConversationKey(caller.aadObjectId), activityId);
  }

  private checking(): CardJson {
    return structuredClone(this.checkingCard);
  }
}
