import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationReference,
} from 'botbuilder';
import type { AppContext } from '../app/context';
import {
  approveRequest,
  attestStep,
  cancelRequest,
  rejectRequest,
  releaseGrant,
  type DecisionResult,
} from '../app/requests/decide-request';
import type { ConversationPurpose } from '../app/ports';
import { latestOpen, listMine, viewRequest } from '../app/requests/view-requests';
import { PURPOSE_WORDS, registerConversation } from '../app/conversations/register-conversation';
import { listConversations } from '../app/conversations/list-conversations';
import { auditHistory } from '../app/audit/audit-history';
import { revokeAll } from '../app/requests/revoke-all';
import { describeAccess } from '../domain/access-level';
import { isRequestId, normaliseRequestId } from '../domain/request-id';
import type { RequestDraft } from '../domain/request-draft';
import type { AccessRequest, Person } from '../domain/types';
import { callerOf } from './activity-identity';
import { CardFactory, cardAttachment } from './card-factory';
import type { CardJson } from './cards/render-template';
import { parseCommand } from './command-parser';
import { rememberCaller } from '../app/conversations/remember-caller';
import { requestForViewer, type RequestForViewer } from '../app/requests/request-for-viewer';
import { refuseUnknownAction } from '../app/requests/unknown-action';
import { FINDING_VERBS, type FindingChat } from './cards/finding-chat';
import { TRACE_VERBS, type TraceChat } from './cards/trace-chat';
import { REVIEW_VERBS, type ChatAnswer, type ReviewChat } from './cards/review-chat';
import { HELP_TEXT } from './help-text';
import type { ReportChat } from './cards/report-chat';
import { failureText } from './user-messages';
import { askForExtension, extensionAskedText } from './extension-answers';
import { approveGrantExtension, rejectGrantExtension } from '../app/requests/extend-grant';
import { statusLabel } from './cards/request-view';
import { SubmitAnswers, type LateDelivery } from './submit-answers';

/** Sends a message or card into the conversation of an earlier turn, or replaces a card posted there. */
export interface FollowUps extends LateDelivery {
  replyLater(reference: Partial<ConversationReference>, text: string, subject?: string): Promise<void>;
}

const CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';

/** Custodian in Teams: chat commands in, cards and Universal Action invokes. */
export class CustodianBot extends TeamsActivityHandler {
  private readonly submits: SubmitAnswers;

  constructor(
    private readonly app: AppContext,
    private readonly cards: CardFactory,
    /** Access reviews and drift detection (absent: their commands say they are not set up). */
    private readonly oversight?: { reviews: ReviewChat; findings: FindingChat; reports?: ReportChat; traces?: TraceChat },
    /** Delivers a command's outcome that comes after its answer (absent: only the answer is sent). */
    private readonly followUps?: FollowUps,
  ) {
    super();
    this.submits = new SubmitAnswers(app, cards, followUps);
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const caller = callerOf(context.activity);
    if (!caller) {
      await context.sendActivity('Your identity could not be established from Teams, so Custodian cannot act for you.');
      return;
    }
    try {
      await this.remember(context, caller);
      await this.dispatch(context, caller);
    } catch (error) {
      this.app.logger.error({ err: error, from: caller.aadObjectId }, 'message handling failed');
      await context.sendActivity(failureText(error));
    }
  }

  private async dispatch(context: TurnContext, caller: Person): Promise<void> {
    const command = parseCommand(context.activity.text ?? '');
    switch (command.kind) {
      case 'help':
        await context.sendActivity({ type: 'message', text: HELP_TEXT, textFormat: 'markdown' });
        return;
      case 'request-form':
        await context.sendActivity({ attachments: [cardAttachment(this.cards.form())] });
        return;
      case 'request':
        await this.submitFromChat(context, caller, command.draft);
        return;
      case 'status':
        await this.showStatus(context, caller, command.id);
        return;
      case 'mine':
        await this.showMine(context, caller);
        return;
      case 'cancel':
      case 'release':
        await this.runAction(context, caller, command.kind, command.id);
        return;
      case 'extend':
        await context.sendActivity(extensionAskedText(await askForExtension(this.app, caller, command)));
        return;
      case 'register':
        await this.register(context, caller, command.purpose);
        return;
      case 'audit':
        await this.showAudit(context, caller, command.subject);
        return;
      case 'revoke-all':
        await this.revokeEverything(context, caller, command.confirmed);
        return;
      case 'reviews':
        await sendAnswers(
          context,
          this.oversight ? [await this.oversight.reviews.list(caller)] : [{ text: 'Access reviews are not set up on this instance.' }],
        );
        return;
      case 'sweep':
        await sendAnswers(
          context,
          this.oversight
            ? await this.oversight.findings.command(caller, command.argument)
            : [{ text: 'Drift detection is not set up on this instance.' }],
        );
        return;
      case 'report':
        await sendAnswers(
          context,
          this.oversight?.reports
            ? [await this.oversight.reports.answer(caller, command.month)]
            : [{ text: 'The audit report is not set up on this instance.' }],
        );
        return;
      case 'conversations':
        await this.showConversations(context, caller);
        return;
      case 'unknown':
        await context.sendActivity(`I did not understand "${command.text.slice(0, 80)}". Type "help" to see what I can do.`);
    }
  }

  private async submitFromChat(context: TurnContext, caller: Person, draft: RequestDraft): Promise<void> {
    if (!this.isPersonal(context)) {
      await context.sendActivity('Please send requests to me in a personal chat, so your justification is not posted to a channel.');
      return;
    }
    await this.submits.fromChat(context, caller, draft);
  }

  private async showStatus(context: TurnContext, caller: Person, id?: string): Promise<void> {
    let request: AccessRequest | null;
    if (id) {
      if (!isRequestId(id)) {
        await context.sendActivity(`"${id}" is not a request ID (they look like CUS-2026-0042).`);
        return;
      }
      const view = await viewRequest(this.app, caller, normaliseRequestId(id));
      if (!view.ok) {
        await context.sendActivity(view.message);
        return;
      }
      request = view.request;
    } else {
      request = await latestOpen(this.app, caller);
      if (!request) {
        await context.sendActivity('You have no requests yet. Type "request" to ask for access.');
        return;
      }
    }
    await context.sendActivity({ attachments: [cardAttachment(this.render(await requestForViewer(this.app, caller, request)))] });
  }

  private async showMine(context: TurnContext, caller: Person): Promise<void> {
    const mine = await listMine(this.app, caller, 10);
    const items = mine.map((request) => ({
      id: request.id,
      summary: `${statusLabel(request.status)} · ${describeAccess(request.access, request.folder)} on ${request.mailbox.upn} · ${request.ticket}`,
    }));
    await context.sendActivity({
      attachments: [cardAttachment(this.cards.list('Your requests (newest first)', items, 'You have no requests yet.'))],
    });
  }

  private async runAction(context: TurnContext, caller: Person, action: 'cancel' | 'release', id?: string): Promise<void> {
    if (!id || !isRequestId(id)) {
      await context.sendActivity(`Say which request: "${action} CUS-2026-0042".`);
      return;
    }
    const result =
      action === 'cancel'
        ? await cancelRequest(this.app, caller, normaliseRequestId(id))
        : await releaseGrant(this.app, caller, normaliseRequestId(id));
    if (!result.ok) {
      await context.sendActivity(result.refusal.message);
      return;
    }
    // The outcome is announced by the revocation itself, once Exchange answered.
    const text =
      action === 'cancel'
        ? `${result.request.id} is cancelled.`
        : `${result.request.id}: revocation started; you will be told when Exchange confirms.`;
    await context.sendActivity(text);
  }

  private async showAudit(context: TurnContext, caller: Person, subject: string): Promise<void> {
    const result = await auditHistory(this.app, caller, subject);
    if (!result.ok) {
      await context.sendActivity(result.message);
      return;
    }
    const { history } = result;
    const items = history.events.map((event) => ({
      id: `#${event.seq} ${new Date(event.at).toISOString().replace('.000Z', 'Z')}`,
      summary: `${event.type} · ${event.actor.name ?? event.actor.upn ?? event.actor.aadObjectId}${event.requestId ? ` · ${event.requestId}` : ''}${describeDetails(event.details)}`,
    }));
    const title = `Audit trail for ${history.subject}${history.truncated ? ' (latest 40; export the rest with "npm run audit -- export")' : ''}`;
    await context.sendActivity({ attachments: [cardAttachment(this.cards.list(title, items, 'No audit records match.'))] });
  }

  private async revokeEverything(context: TurnContext, caller: Person, confirmed: boolean): Promise<void> {
    const reference = TurnContext.getConversationReference(context.activity);
    const result = await revokeAll(this.app, caller, confirmed, async (outcome) => {
      await this.followUps?.replyLater(
        reference,
        `Ended ${outcome.revoked.length} grant(s).${outcome.stillRevoking.length ? ` Still revoking (retried automatically): ${outcome.stillRevoking.join(', ')}.` : ''}${outcome.failed.length ? ` Not ended: ${outcome.failed.map((entry) => `${entry.id} (${entry.reason})`).join('; ')}.` : ''}`,
      );
    });
    if (!result.ok) await context.sendActivity(result.message);
    else if (!result.confirmed)
      await context.sendActivity(`${result.active} grant(s) are active. Type "revoke-all confirm" to end every one of them now.`);
    else await context.sendActivity(`Ending ${result.active} grant(s) now. I will write here when Exchange has answered for each of them.`);
  }

  private async register(context: TurnContext, caller: Person, purpose: ConversationPurpose): Promise<void> {
    const activity = context.activity;
    if (this.isPersonal(context)) {
      await context.sendActivity('Write this in the channel or group chat you want to use, mentioning me there.');
      return;
    }
    const reference = TurnContext.getConversationReference(activity);
    // A channel post's conversation ID names the thread; new posts go to the channel itself.
    const channelId = (activity.channelData as { channel?: { id?: string } } | undefined)?.channel?.id;
    const conversation = { ...reference.conversation, ...(channelId ? { id: channelId } : {}) };
    const stored = { ...reference, conversation, activityId: undefined };
    const channelName = (activity.channelData as { channel?: { name?: string } } | undefined)?.channel?.name;
    const where = channelId
      ? `channel "${channelName ?? channelId}"`
      : `chat "${reference.conversation?.name ?? reference.conversation?.id}"`;
    const result = await registerConversation(
      this.app,
      caller,
      purpose,
      JSON.parse(JSON.stringify(stored)) as Record<string, unknown>,
      where,
    );
    await context.sendActivity(
      result.ok
        ? `Done: this conversation now receives ${PURPOSE_WORDS[purpose]}.${result.moved ? ' The conversation that received them before was told, and so was the security team.' : ''}`
        : result.message,
    );
  }

  private async showConversations(context: TurnContext, caller: Person): Promise<void> {
    const result = await listConversations(this.app, caller);
    if (!result.ok) {
      await context.sendActivity(result.message);
      return;
    }
    const items = result.conversations.map((entry) => ({
      id: entry.receives,
      summary: entry.place
        ? `${entry.place} · registered by ${entry.registeredBy ?? 'unknown'} at ${new Date(entry.registeredAt ?? 0).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z')}`
        : 'not registered',
    }));
    await context.sendActivity({
      attachments: [cardAttachment(this.cards.list('Where Custodian posts', items, 'Nothing is registered.'))],
    });
  }

  /** Universal Actions: every button press arrives here as adaptiveCard/action. */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const caller = callerOf(context.activity);
    if (!caller) return message('Your identity could not be established from Teams; nothing was changed.');
    try {
      await this.remember(context, caller);
      const data = invokeValue.action?.data ?? {};
      const verb = invokeValue.action?.verb ?? '';
      if (verb === 'submitRequest') return await this.submitFromCard(context, caller, data);
      if (this.oversight && (REVIEW_VERBS as readonly string[]).includes(verb))
        return answerOf(await this.oversight.reviews.act(caller, verb, data));
      if (this.oversight && (FINDING_VERBS as readonly string[]).includes(verb))
        return answerOf(await this.oversight.findings.act(caller, verb, data));
      if (this.oversight?.traces && (TRACE_VERBS as readonly string[]).includes(verb))
        return answerOf(await this.oversight.traces.act(caller, verb, data));
      const requestId = typeof data.requestId === 'string' ? normaliseRequestId(data.requestId) : '';
      if (!isRequestId(requestId)) return message('This card does not name a request; nothing was changed.');
      const comment = text(data.comment);
      switch (verb) {
        case 'refresh':
          return await this.refreshView(caller, requestId);
        case 'approve':
          return await this.answer(caller, await approveRequest(this.app, caller, requestId, comment));
        case 'reject':
          return await this.answer(caller, await rejectRequest(this.app, caller, requestId, comment));
        case 'cancel':
          return await this.answer(caller, await cancelRequest(this.app, caller, requestId));
        case 'release':
          return await this.answer(caller, await releaseGrant(this.app, caller, requestId));
        case 'extend': {
          const asked = await askForExtension(this.app, caller, {
            id: requestId,
            duration: text(data.extendFor),
            reason: text(data.extendReason),
          });
          return 'message' in asked ? message(asked.message) : await this.answer(caller, asked);
        }
        case 'approveExtension':
          return await this.answer(caller, await approveGrantExtension(this.app, caller, requestId, comment));
        case 'rejectExtension':
          return await this.answer(caller, await rejectGrantExtension(this.app, caller, requestId, comment));
        case 'attest': {
          const outcome = data.outcome === 'not-possible' ? 'not-possible' : 'done';
          return await this.answer(
            caller,
            await attestStep(this.app, caller, requestId, text(data.stepId) ?? '', outcome, text(data.attestNote)),
          );
        }
        default:
          return message(await refuseUnknownAction(this.app, caller, requestId, verb));
      }
    } catch (error) {
      this.app.logger.error({ err: error, from: caller.aadObjectId }, 'card action failed');
      return message(failureText(error));
    }
  }

  private async submitFromCard(context: TurnContext, caller: Person, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
    const draft: RequestDraft = {
      mailbox: text(data.mailbox),
      ticket: text(data.ticket),
      jurisdiction: text(data.jurisdiction),
      access: text(data.access),
      folder: text(data.folder),
      duration: text(data.duration),
      justification: text(data.justification),
      legalBasis: text(data.legalBasis),
      noticeWithheldReason: text(data.noticeWithheldReason),
    };
    const replyTo = context.activity.replyToId;
    return card(await this.submits.fromCard(context, caller, draft, replyTo && this.isPersonal(context) ? replyTo : undefined));
  }

  private async refreshView(caller: Person, requestId: string): Promise<AdaptiveCardInvokeResponse> {
    const view = await viewRequest(this.app, caller, requestId);
    if (!view.ok) return message(view.message);
    return card(this.render(await requestForViewer(this.app, caller, view.request)));
  }

  /**
   * The clicker sees the outcome on their copy; everyone else's copy is refreshed by the app. The result is the
   * request as the action wrote it: what follows (card copies, notices, Exchange) runs after the answer, so no re-read.
   */
  private async answer(caller: Person, result: DecisionResult): Promise<AdaptiveCardInvokeResponse> {
    if (result.ok) return card(this.render(await requestForViewer(this.app, caller, result.request)));
    if (!result.request) return message(result.refusal.message);
    return card(this.render(await requestForViewer(this.app, caller, result.request), result.refusal.message));
  }

  private render(view: RequestForViewer, notice?: string): CardJson {
    return this.cards.request(view.request, view.rights, { notice });
  }

  /** Keeps the personal-chat reference (for proactive messages) and the Teams user ID (for card refresh). */
  private async remember(context: TurnContext, caller: Person): Promise<void> {
    const personalChat = this.isPersonal(context)
      ? (JSON.parse(JSON.stringify({ ...TurnContext.getConversationReference(context.activity), activityId: undefined })) as Record<
          string,
          unknown
        >)
      : undefined;
    await rememberCaller(this.app, caller, { teamsUser: { ...context.activity.from }, personalChat });
  }

  private isPersonal(context: TurnContext): boolean {
    const type = context.activity.conversation?.conversationType;
    return type === 'personal' || type === undefined;
  }
}

/** A short, readable tail of an audit record's details for the history card. */
function describeDetails(details: Record<string, unknown>): string {
  const keys = ['code', 'reason', 'role', 'comment', 'step', 'error', 'purpose'];
  const parts = keys
    .filter((key) => details[key] !== undefined && details[key] !== null && details[key] !== '')
    .map((key) => `${key}: ${String(details[key]).slice(0, 120)}`);
  return parts.length ? ` · ${parts.join(', ')}` : '';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function answerOf(answer: ChatAnswer): AdaptiveCardInvokeResponse {
  return 'card' in answer ? card(answer.card) : message(answer.text);
}

async function sendAnswers(context: TurnContext, answers: ChatAnswer[]): Promise<void> {
  for (const answer of answers) await context.sendActivity('card' in answer ? { attachments: [cardAttachment(answer.card)] } : answer.text);
}

function card(value: CardJson): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD_RESPONSE, value };
}

function message(value: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: MESSAGE_RESPONSE, value: value as unknown as Record<string, unknown> };
}
