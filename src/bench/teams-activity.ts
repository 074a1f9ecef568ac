import { randomUUID } from 'node:crypto';

// Activities in the shape Microsoft Teams posts them to /api/messages.

export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export interface Conversation {
  id: string;
  kind: 'personal' | 'channel';
  channelId?: string;
}

export const BOT = { id: '28:custodian-bot', name: 'Custodian' };

export const personalChat = (user: TeamsUser): Conversation => ({ id: `a:personal-${user.aadObjectId}`, kind: 'personal' });
export const channelThread = (channelId: string): Conversation => ({ id: `${channelId};messageid=1`, kind: 'channel', channelId });

function base(serviceUrl: string, tenantId: string, from: TeamsUser, conversation: Conversation) {
  return {
    channelId: 'msteams',
    serviceUrl,
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation: { id: conversation.id, conversationType: conversation.kind, tenantId, isGroup: conversation.kind !== 'personal' },
    channelData: {
      tenant: { id: tenantId },
      ...(conversation.kind === 'channel' ? { channel: { id: conversation.channelId }, team: { id: '19:team@thread.tacv2' } } : {}),
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

/** An Action.Execute button click (invoke adaptiveCard/action). */
export function cardActionActivity(serviceUrl: string, tenantId: string, from: TeamsUser, conversation: Conversation, verb: string, data: Record<string, unknown>) {
  return {
    ...base(serviceUrl, tenantId, from, conversation),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** What the bot stores for proactive messages to a conversation (TurnContext.getConversationReference). */
export function conversationReference(serviceUrl: string, tenantId: string, conversation: Conversation, user?: TeamsUser): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl,
    bot: BOT,
    conversation: { id: conversation.id, conversationType: conversation.kind, tenantId, isGroup: conversation.kind !== 'personal' },
    ...(user ? { user: { id: user.id, name: user.name, aadObjectId: user.aadObjectId } } : {}),
    locale: 'en-US',
  };
}
