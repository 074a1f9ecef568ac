import { cardActionActivity, channelThread, messageActivity, type Conversation, type TeamsUser } from './teams-activity';

// The Teams activities of teams-activity.ts as the end-to-end tests
// use them: all in one tenant, and every channel message in a thread of its own.

export { personalChat as personal, type Conversation as Place } from './teams-activity';

export const TENANT_ID = '4c1d9a52-0d5e-4f1e-9a3b-c0570d05c0de';

export const channel = (channelId: string, teamId?: string): Conversation => channelThread(channelId, teamId, String(Date.now()));

/** A chat message as Teams posts it to the bot; in channels the bot is @mentioned. */
export function message(serviceUrl: string, from: TeamsUser, place: Conversation, text: string) {
  return messageActivity(serviceUrl, TENANT_ID, from, place, text);
}

/** An Action.Execute click: an invoke named adaptiveCard/action. */
export function cardAction(
  serviceUrl: string,
  from: TeamsUser,
  place: Conversation,
  verb: string,
  data: Record<string, unknown>,
  replyToId?: string,
) {
  return cardActionActivity(serviceUrl, TENANT_ID, from, place, verb, data, replyToId);
}
