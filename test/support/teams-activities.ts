import { randomUUID } from 'node:crypto';

/** A Teams user as the channel identifies them. */
export interface TeamsUser {
  /** Teams user ID (MRI). */
  id: string;
  name: string;
  aadObjectId: string;
}

export const TENANT_ID = '4c1d9a52-0d5e-4f1e-9a3b-c0570d05c0de';
export const BOT = { id: '28:custodian-bot', name: 'Custodian' };

export interface Place {
  kind: 'personal' | 'channel' | 'groupChat';
  conversationId: string;
  channelId?: string;
  teamId?: string;
}

export const personal = (user: TeamsUser): Place => ({ kind: 'personal', conversationId: `a:personal-${user.aadObjectId}` });
export const channel = (channelId: string, teamId = '19:team@thread.tacv2'): Place => ({ kind: 'channel', conversationId: `${channelId};messageid=${Date.now()}`, channelId, teamId });

function base(serviceUrl: string, from: TeamsUser, place: Place) {
  return {
    channelId: 'msteams',
    serviceUrl,
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation: {
      id: place.conversationId,
      conversationType: place.kind === 'personal' ? 'personal' : place.kind === 'channel' ? 'channel' : 'groupChat',
      tenantId: TENANT_ID,
      isGroup: place.kind !== 'personal',
    },
    channelData: {
      tenant: { id: TENANT_ID },
      ...(place.kind === 'channel' ? { channel: { id: place.channelId }, team: { id: place.teamId } } : {}),
    },
    locale: 'en-US',
  };
}

/** A chat message as Teams posts it to the bot; in channels the bot is @mentioned. */
export function message(serviceUrl: string, from: TeamsUser, place: Place, text: string) {
  const mention = place.kind === 'personal' ? '' : `<at>${BOT.name}</at> `;
  return {
    ...base(serviceUrl, from, place),
    type: 'message',
    text: `${mention}${text}`,
    entities: mention ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : [],
  };
}

/** An Action.Execute click: an invoke named adaptiveCard/action. */
export function cardAction(serviceUrl: string, from: TeamsUser, place: Place, verb: string, data: Record<string, unknown>, replyToId?: string) {
  return {
    ...base(serviceUrl, from, place),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
