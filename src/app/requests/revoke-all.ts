import { ROLE_SECURITY } from '../../domain/policy';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';
import { releaseGrant } from './decide-request';

/** Where each grant stood once Exchange answered for all of them. */
export interface RevokeAllOutcome {
  revoked: string[];
  stillRevoking: string[];
  failed: { id: string; reason: string }[];
}

export type RevokeAllResult =
  { ok: false; message: string } | { ok: true; confirmed: false; active: number } | { ok: true; confirmed: true; active: number };

/**
 * Ends every active grant (before uninstalling, or in an incident). Security
 * role only; without confirmation it only says how many grants it would end.
 * Confirmed, it answers at once: the releases run after the answer, and
 * `report` hears the outcome once Exchange answered for every grant.
 */
export async function revokeAll(
  ctx: AppContext,
  actor: Person,
  confirmed: boolean,
  report: (outcome: RevokeAllOutcome) => Promise<void> = async () => undefined,
): Promise<RevokeAllResult> {
  if (!(await ctx.roles.hasRole(actor, ROLE_SECURITY))) {
    await ctx.audit.append({ type: 'refused.revoke-all', actor, details: { reason: 'not in the security role' } });
    void ctx.afterAnswer.run({ name: 'refused.revoke-all', actor }, () =>
      ctx.notifier.tellSecurity('refused', null, `${actor.name ?? actor.aadObjectId} tried "revoke-all" without the security role.`),
    );
    return { ok: false, message: 'Only members of the security role can end every active grant.' };
  }
  const active = await ctx.store.listRequestsByStatus(['active'], 100_000);
  if (!confirmed) return { ok: true, confirmed: false, active: active.length };
  await ctx.audit.append({ type: 'revoke-all.started', actor, details: { active: active.length } });
  void ctx.afterAnswer.run({ name: 'revoke-all', actor }, async () => {
    const outcome: RevokeAllOutcome = { revoked: [], stillRevoking: [], failed: [] };
    const started: { id: string; settled: Promise<unknown> }[] = [];
    for (const request of active) {
      const result = await releaseGrant(ctx, actor, request.id);
      if (result.ok) started.push({ id: request.id, settled: result.settled });
      else outcome.failed.push({ id: request.id, reason: result.refusal.message });
    }
    await Promise.all(started.map((entry) => entry.settled));
    for (const { id } of started)
      ((await ctx.store.getRequest(id))?.status === 'revoked' ? outcome.revoked : outcome.stillRevoking).push(id);
    await ctx.audit.append({ type: 'revoke-all.finished', actor, details: { ...outcome } });
    await report(outcome);
  });
  return { ok: true, confirmed: true, active: active.length };
}
