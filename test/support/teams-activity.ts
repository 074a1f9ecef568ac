import { randomUUID } from 'node:crypto';

// Activities in the shape Microsoft Teams posts them to /api/messages.

/** A Teams user as the channel identifies them. */
export interface TeamsUser {
  /** Teams user ID (MRI). */
  id: string;
  name: string;
  aadObjectId: string;
}

export interface Conversation {
  kind: 'personal' | 'channel' | 'groupChat';
  conversationId: string;
  channelId?: string;
  teamId?: string;
}

export const BOT = { id: '28:custodian-bot', name: 'Custodian' };

export const personalChat = (user: TeamsUser): Conversation => ({ kind: 'personal', conversationId: `a:personal-${user.aadObjectId}` });

/** A channel thread; Teams names it after the message that started it. */
export const channelThread = (channelId: string, teamId = '19:team@thread.tacv2', rootMessageId = '1'): Conversation => ({
  kind: 'channel',
  conversationId: `${channelId};messageid=${rootMessageId}`,
  channelId,
  teamId,
});

/** The ConversationAccount of an activity or a conversation reference. */
function conversationAccount(tenantId: string, conversation: Conversation) {
  return { id: conversation.conversationId, conversationType: conversation.kind, tenantId, isGroup: conversation.kind !== 'personal' };
}

function base(serviceUrl: string, tenantId: string, from: TeamsUser, conversation: Conversation) {
  return {
    channelId: 'msteams',
    serviceUrl,
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation: conversationAccount(tenantId, conversation),
    channelData: {
      tenant: { id: tenantId },
      ...(conversation.kind === 'channel' ? { channel: { id: conversation.channelId }, team: { id: conversation.teamId } } : {}),
    },
    locale: 'en-US',
  };
}

/** A chat message; in channels the bot is @mentioned. */
export function messageActivity(serviceUrl: string, tenantId: string, from: TeamsUser, conversation: Conversation, text: string) {
  const mention = conversation.kind === 'personal' ? '' : `<at>${BOT.name}</at> `;
  return {
    ...base(serviceUrl, tenantId, from, conversation),
    type: 'message',
    text: `${mention}${text}`,
    entities: mention ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : [],
  };
}

/** An Action.Execute button click (invoke adaptiveCard/action), optionally on the card activity `replyToId`. */
export function cardActionActivity(
  serviceUrl: string,
  tenantId: string,
  from: TeamsUser,
  conversation: Conversation,
  verb: string,
  data: Record<string, unknown>,
  replyToId?: string,
) {
  return {
    ...base(serviceUrl, tenantId, from, conversation),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** What the bot stores for proactive messages to a conversation (TurnContext.getConversationReference). */
export function conversationReference(
  serviceUrl: string,
  tenantId: string,
  conversation: Conversation,
  user?: TeamsUser,
): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl,
    bot: BOT,
    conversation: conversationAccount(tenantId, conversation),
    ...(user ? { user: { id: user.id, name: user.name, aadObjectId: user.aadObjectId } } : {}),
    locale: 'en-US',
  };
}
