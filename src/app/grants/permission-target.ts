import type { AccessRequest } from '../../domain/types';
import type { PermissionTarget } from '../../m365/exchange';

export function permissionTarget(request: AccessRequest): PermissionTarget {
  const grantee = request.requester.upn;
  if (!grantee) throw new Error(`${request.id} has no grantee UPN; nothing can be granted or revoked.`);
  return { mailbox: request.mailbox.upn, grantee, access: request.access, folder: request.folder };
}
