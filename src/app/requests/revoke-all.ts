import { ROLE_SECURITY } from '../../domain/policy';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';
import { releaseGrant } from './decide-request';

export type RevokeAllResult =
  | { ok: false; message: string }
  | { ok: true; confirmed: false; active: number }
  | { ok: true; confirmed: true; revoked: string[]; stillRevoking: string[]; failed: { id: string; reason: string }[] };

/**
 * Ends every active grant (before uninstalling, or in an incident). Security
 * role only; without confirmation it only says how many grants it would end.
 */
export async function revokeAll(ctx: AppContext, actor: Person, confirmed: boolean): Promise<RevokeAllResult> {
  if (!(await ctx.roles.hasRole(actor, ROLE_SECURITY))) {
    await ctx.audit.append({ type: 'refused.revoke-all', actor, details: { reason: 'not in the security role' } });
    await ctx.notifier.tellSecurity('refused', null, `${actor.name ?? actor.aadObjectId} tried "revoke-all" without the security role.`);
    return { ok: false, message: 'Only members of the security role can end every active grant.' };
  }
  const active = await ctx.store.listRequestsByStatus(['active'], 100_000);
  if (!confirmed) return { ok: true, confirmed: false, active: active.length };
  await ctx.audit.append({ type: 'revoke-all.started', actor, details: { active: active.length } });
  const revoked: string[] = [];
  const stillRevoking: string[] = [];
  const failed: { id: string; reason: string }[] = [];
  for (const request of active) {
    const result = await releaseGrant(ctx, actor, request.id);
    if (!result.ok) failed.push({ id: request.id, reason: result.refusal.message });
    else if (result.request.status === 'revoked') revoked.push(request.id);
    else stillRevoking.push(request.id);
  }
  await ctx.audit.append({ type: 'revoke-all.finished', actor, details: { revoked, stillRevoking, failed } });
  return { ok: true, confirmed: true, revoked, stillRevoking, failed };
}
