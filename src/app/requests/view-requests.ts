import { isOpen } from '../../domain/open-request';
import { ROLE_SECURITY } from '../../domain/policy';
import type { AccessRequest, Person } from '../../domain/types';
import type { AppContext } from '../context';

/** Requests a person may see: their own, and any if they hold an approving or security role. */
export async function viewRequest(
  ctx: AppContext,
  viewer: Person,
  id: string,
): Promise<{ ok: true; request: AccessRequest } | { ok: false; message: string }> {
  const request = await ctx.store.getRequest(id);
  if (!request) return { ok: false, message: `No request ${id} exists.` };
  if (request.requester.aadObjectId === viewer.aadObjectId) return { ok: true, request };
  const roles = await ctx.roles.rolesOf(viewer);
  const approving = new Set(request.requiredApprovals.map((requirement) => requirement.role));
  if (roles.includes(ROLE_SECURITY) || roles.some((role) => approving.has(role))) return { ok: true, request };
  await ctx.audit.append({
    type: 'refused.view',
    actor: viewer,
    requestId: id,
    details: { reason: 'not the requester, an approver or security' },
  });
  return { ok: false, message: `You may not see ${id}: only the requester, its approvers and the security team can.` };
}

export async function listMine(ctx: AppContext, viewer: Person, limit = 10): Promise<AccessRequest[]> {
  return ctx.store.listRequestsByRequester(viewer.aadObjectId, limit);
}

/** The requester's most recent open request, for a bare "status". */
export async function latestOpen(ctx: AppContext, viewer: Person): Promise<AccessRequest | null> {
  const mine = await listMine(ctx, viewer, 20);
  return mine.find(isOpen) ?? mine[0] ?? null;
}
