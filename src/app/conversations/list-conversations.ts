import { ROLE_SECURITY } from '../../domain/policy';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';
import type { ConversationPurpose } from '../ports';
import { PURPOSE_WORDS } from './register-conversation';

export interface RegisteredConversation {
  purpose: ConversationPurpose;
  /** What it receives, in words. */
  receives: string;
  /** Absent when no conversation is registered for the purpose. */
  place?: string;
  registeredBy?: string;
  registeredAt?: number;
}

const PURPOSES = Object.keys(PURPOSE_WORDS) as ConversationPurpose[];

/** "conversations": where each kind of message goes, who chose it and when (security role only). */
export async function listConversations(
  ctx: AppContext,
  viewer: Person,
): Promise<{ ok: true; conversations: RegisteredConversation[] } | { ok: false; message: string }> {
  if (!(await ctx.roles.hasRole(viewer, ROLE_SECURITY))) {
    const message = 'Only members of the security role can see where the bot posts.';
    await ctx.audit.append({ type: 'refused.conversations-query', actor: viewer, details: { code: 'not-allowed', reason: message } });
    return { ok: false, message };
  }
  const conversations: RegisteredConversation[] = [];
  for (const purpose of PURPOSES) {
    const record = await ctx.store.getConversation(purpose);
    const conversationId = (record?.reference.conversation as { id?: string } | undefined)?.id;
    conversations.push({
      purpose,
      receives: PURPOSE_WORDS[purpose],
      ...(record && {
        place: record.place ?? conversationId ?? 'a conversation',
        registeredBy: record.registeredByName ?? record.registeredBy,
        registeredAt: record.registeredAt,
      }),
    });
  }
  return { ok: true, conversations };
}
