import { allowedBy, type AllowRule } from './drift-allow';
import { isAccessLevel, levelExplains } from './access-level';
import { isBuiltIn, type HeldPermission } from './drift-permission';
import type { AccessRequest, RequestStatus } from './types';

/** Grants in these states may hold their permission in Exchange right now. */
export const EXPLAINING_STATUSES: readonly RequestStatus[] = ['active', 'granting', 'revoking'];

/** Whether a Custodian grant accounts for a permission (same mailbox, holder and level, as the level table matches them). */
export function explains(grant: AccessRequest, permission: HeldPermission): boolean {
  if (!EXPLAINING_STATUSES.includes(grant.status)) return false;
  if (grant.mailbox.upn.trim().toLowerCase() !== permission.mailbox.trim().toLowerCase()) return false;
  if ((grant.requester.upn ?? '').trim().toLowerCase() !== permission.grantee.trim().toLowerCase()) return false;
  // Custodian never grants SendAs: no level's mechanism shows up as it.
  return isAccessLevel(grant.access) && levelExplains(grant.access, grant.folder, permission);
}

export interface MailboxComparison {
  /** Permissions held that no grant explains and no rule allows: the findings. */
  unexplained: HeldPermission[];
  explained: number;
  allowed: number;
}

/** Sorts what one mailbox's permissions are: built-in, explained by a grant, allowed, or a finding. */
export function compareMailbox(
  held: readonly HeldPermission[],
  grants: readonly AccessRequest[],
  rules: readonly AllowRule[],
): MailboxComparison {
  const result: MailboxComparison = { unexplained: [], explained: 0, allowed: 0 };
  for (const permission of held) {
    if (isBuiltIn(permission)) continue;
    if (grants.some((grant) => explains(grant, permission))) result.explained++;
    else if (allowedBy(permission, rules)) result.allowed++;
    else result.unexplained.push(permission);
  }
  return result;
}
