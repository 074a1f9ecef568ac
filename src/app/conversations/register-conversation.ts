import { ROLE_ADMIN, ROLE_SECURITY } from '../../domain/policy';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';
import type { ConversationPurpose } from '../ports';

/** Who may point the bot at a conversation for each purpose. */
const REQUIRED_ROLE: Record<ConversationPurpose, string[]> = {
  approvals: [ROLE_ADMIN],
  security: [ROLE_ADMIN, ROLE_SECURITY],
  hr: [ROLE_ADMIN, 'hr'],
  dpo: [ROLE_ADMIN, 'dpo'],
};

/** Stores the conversation reference an authorised admin registered by writing in that conversation. */
export async function registerConversation(
  ctx: AppContext,
  actor: Person,
  purpose: ConversationPurpose,
  reference: Record<string, unknown>,
  where: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const roles = await ctx.roles.rolesOf(actor);
  if (!REQUIRED_ROLE[purpose].some((role) => roles.includes(role))) {
    const message = `Only members of the ${REQUIRED_ROLE[purpose].join(' or ')} role can choose the ${purpose} conversation.`;
    await ctx.audit.append({ type: 'refused.register-conversation', actor, details: { purpose, where, reason: message } });
    await ctx.notifier.tellSecurity(
      'refused',
      null,
      `${actor.name ?? actor.aadObjectId} tried to register ${where} for ${purpose} without the right role.`,
    );
    return { ok: false, message };
  }
  await ctx.store.putConversation({ key: purpose, reference, registeredBy: actor.aadObjectId, registeredAt: ctx.clock.now() });
  await ctx.audit.append({ type: 'conversation.registered', actor, details: { purpose, where } });
  return { ok: true };
}
