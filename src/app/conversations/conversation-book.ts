import type { AccessRequest } from '../../domain/types';
import type { Store } from '../../store/store';
import type { RoleResolver } from '../roles/role-resolver';
import { memberKey } from './conversation-keys';

/** Teams allows at most 60 user IDs in a card's refresh list. */
const MAX_REFRESH_USERS = 60;

/** The stored conversation references the Teams layer sends through, and who gets a card view of their own. */
export class ConversationBook {
  constructor(
    private readonly store: Store,
    private readonly roles: RoleResolver,
  ) {}

  /** The reference stored under `key` (a purpose, or a person's chat); null when none is registered. */
  async reference(key: string): Promise<Record<string, unknown> | null> {
    return (await this.store.getConversation(key))?.reference ?? null;
  }

  /** Teams user IDs of the requester and listed approvers who have talked to the bot. */
  async refreshUserIds(request: AccessRequest): Promise<string[]> {
    const people = [
      request.requester.aadObjectId,
      ...this.roles.listedMembers(request.requiredApprovals.map((requirement) => requirement.role)),
    ];
    const ids: string[] = [];
    for (const aadObjectId of new Set(people)) {
      const reference = await this.reference(memberKey(aadObjectId));
      const userId = (reference as { user?: { id?: string } } | null)?.user?.id;
      if (userId) ids.push(userId);
    }
    return ids.slice(0, MAX_REFRESH_USERS);
  }
}
