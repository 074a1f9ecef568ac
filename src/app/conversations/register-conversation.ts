import { ROLE_ADMIN } from '../../domain/policy';
import type { Person } from '../../domain/types';
import type { ConversationRecord } from '../../store/store';
import type { AppContext } from '../context';
import type { ConversationPurpose } from '../ports';

/** What each purpose's conversation receives, in words. */
export const PURPOSE_WORDS: Record<ConversationPurpose, string> = {
  approvals: 'approval cards',
  security: 'security notices',
  hr: 'HR notices',
  dpo: 'DPO notices',
};

function who(person: Person): string {
  return person.name ?? person.aadObjectId;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}

function conversationId(reference: Record<string, unknown>): unknown {
  return (reference.conversation as { id?: unknown } | undefined)?.id;
}

/**
 * Points the bot at the conversation an admin wrote in. Routing decides who
 * sees approvals and alerts, so only the admin role may do it, and never
 * silently: a conversation that is replaced is told who moved it and where,
 * and the security conversation hears of every registration.
 */
export async function registerConversation(
  ctx: AppContext,
  actor: Person,
  purpose: ConversationPurpose,
  reference: Record<string, unknown>,
  where: string,
): Promise<{ ok: true; moved: boolean } | { ok: false; message: string }> {
  if (!(await ctx.roles.hasRole(actor, ROLE_ADMIN))) {
    const message = `Only members of the ${ROLE_ADMIN} role can choose where ${PURPOSE_WORDS[purpose]} go; nothing was changed.`;
    await ctx.audit.append({
      type: 'refused.register-conversation',
      actor,
      details: { purpose, where, code: 'not-allowed', reason: message },
    });
    await ctx.notifier.tellSecurity(
      'refused',
      null,
      `${who(actor)} tried to register ${where} for ${PURPOSE_WORDS[purpose]} without the ${ROLE_ADMIN} role; nothing was changed.`,
    );
    return { ok: false, message };
  }
  const previous = await ctx.store.getConversation(purpose);
  const now = ctx.clock.now();
  const record: ConversationRecord = {
    key: purpose,
    reference,
    registeredBy: actor.aadObjectId,
    ...(actor.name && { registeredByName: actor.name }),
    place: where,
    registeredAt: now,
  };
  await ctx.store.putConversation(record);
  const moved = previous !== null && conversationId(previous.reference) !== conversationId(reference);
  const from = previous ? (previous.place ?? String(conversationId(previous.reference))) : undefined;
  await ctx.audit.append({
    type: 'conversation.registered',
    actor,
    details: { purpose, where, ...(moved && { movedFrom: from, previouslyRegisteredBy: previous?.registeredBy }) },
  });
  if (moved && previous) {
    const told = await ctx.notifier.tellReference(
      previous.reference,
      `This conversation no longer receives ${PURPOSE_WORDS[purpose]}: ${who(actor)} moved them to ${where} at ${iso(now)}.`,
    );
    if (!told) ctx.logger.warn({ purpose, from }, 'the former conversation could not be told of the move');
  }
  // Stored first, so a moved security conversation hears of its own move in its new place.
  await ctx.notifier.tellSecurity(
    'conversation-registered',
    null,
    moved
      ? `${who(actor)} moved ${PURPOSE_WORDS[purpose]} from ${from} to ${where} at ${iso(now)}.`
      : `${who(actor)} registered ${where} for ${PURPOSE_WORDS[purpose]} at ${iso(now)}.`,
  );
  return { ok: true, moved };
}
