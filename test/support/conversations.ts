import type { Store } from '../../src/store/store';
import { userConversationKey } from '../../src/app/conversations/conversation-keys';
import { APPROVERS, type GeneratedUser } from './generated-users';
import { channelThread, conversationReference, personalChat } from './teams-activity';

/**
 * Stores the conversations an admin and the requesters would have opened
 * (approvals and security channels, each requester's personal chat), all at
 * `serviceUrl`, so that proactive notices are really sent.
 */
export async function registerConversations(
  store: Store,
  serviceUrl: string,
  tenantId: string,
  requesters: GeneratedUser[],
): Promise<void> {
  const admin = APPROVERS[0];
  const now = Date.now();
  await store.putConversation({
    key: 'approvals',
    reference: conversationReference(serviceUrl, tenantId, channelThread('19:approvals@thread.tacv2')),
    registeredBy: admin.aadObjectId,
    registeredAt: now,
  });
  await store.putConversation({
    key: 'security',
    reference: conversationReference(serviceUrl, tenantId, channelThread('19:security@thread.tacv2')),
    registeredBy: admin.aadObjectId,
    registeredAt: now,
  });
  for (const requester of requesters) {
    await store.putConversation({
      key: userConversationKey(requester.aadObjectId),
      reference: conversationReference(serviceUrl, tenantId, personalChat(requester.teams), requester.teams),
      registeredBy: requester.aadObjectId,
      registeredAt: now,
    });
  }
}
