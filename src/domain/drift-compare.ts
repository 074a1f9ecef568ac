import { allowedBy, type AllowRule } from './drift-allow';
import { isBuiltIn, normaliseFolder, type HeldPermission } from './drift-permission';
import type { AccessRequest, RequestStatus } from './types';

/** Grants in these states may hold their permission in Exchange right now. */
export const EXPLAINING_STATUSES: readonly RequestStatus[] = ['active', 'granting', 'revoking'];

/** Custodian grants folder access with this role only. */
const GRANTED_FOLDER_ROLE = 'reviewer';

/** Whether a Custodian grant accounts for a permission (same mailbox, holder and level). */
export function explains(grant: AccessRequest, permission: HeldPermission): boolean {
  if (!EXPLAINING_STATUSES.includes(grant.status)) return false;
  if (grant.mailbox.upn.trim().toLowerCase() !== permission.mailbox.trim().toLowerCase()) return false;
  if ((grant.requester.upn ?? '').trim().toLowerCase() !== permission.grantee.trim().toLowerCase()) return false;
  switch (permission.kind) {
    case 'FullAccess':
      return grant.access === 'FullAccess';
    case 'SendOnBehalf':
      return grant.access === 'SendOnBehalf';
    case 'Folder': {
      const roles = (permission.role ?? '')
        .toLowerCase()
        .split(',')
        .map((role) => role.trim());
      return (
        grant.access === 'ReadFolder' &&
        normaliseFolder(grant.folder) === normaliseFolder(permission.folder) &&
        roles.length === 1 &&
        roles[0] === GRANTED_FOLDER_ROLE
      );
    }
    case 'SendAs':
      // Custodian never grants SendAs.
      return false;
  }
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
