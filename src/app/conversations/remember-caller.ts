import type { Person } from '../../domain/types';
import type { AppContext } from '../context';
import { memberKey, userConversationKey } from './conversation-keys';

/** What Teams told about the person who just wrote or clicked. */
export interface CallerPlace {
  /** The Teams user (MRI and name), for role-specific card refresh. */
  teamsUser: Record<string, unknown>;
  /** The personal chat's conversation reference (for proactive messages); absent outside the personal chat. */
  personalChat?: Record<string, unknown>;
}

/** Keeps the caller's Teams user ID and, from their personal chat, the reference to message them later. */
export async function rememberCaller(ctx: AppContext, caller: Person, place: CallerPlace): Promise<void> {
  const now = ctx.clock.now();
  await ctx.store.putConversation({ key: memberKey(caller.aadObjectId), reference: { user: place.teamsUser }, registeredAt: now });
  if (place.personalChat)
    await ctx.store.putConversation({
      key: userConversationKey(caller.aadObjectId),
      reference: place.personalChat,
      registeredBy: caller.aadObjectId,
      registeredAt: now,
    });
}
