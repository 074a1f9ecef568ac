import { ROLE_SECURITY } from '../../domain/policy';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';
import type { SweepProgress } from './run-sweep';
import type { SweepRunner } from './sweep-runner';

export type SweepRequestResult =
  | { ok: true; started: true; inScope: 'all' | number }
  | { ok: true; started: false; running: SweepProgress }
  | { ok: false; message: string };

/** "sweep" in chat: security role only (refusals audited and reported); starts a sweep unless one is running here. */
export async function requestSweep(ctx: AppContext, runner: SweepRunner, actor: Person): Promise<SweepRequestResult> {
  if (!(await ctx.roles.hasRole(actor, ROLE_SECURITY))) {
    await ctx.audit.append({ type: 'refused.sweep', actor, details: { reason: 'not in the security role' } });
    await ctx.notifier.tellSecurity(
      'refused',
      null,
      `${actor.name ?? actor.aadObjectId} tried to start a drift sweep without the security role.`,
    );
    return { ok: false, message: 'Only members of the security role can start a sweep.' };
  }
  const running = runner.current();
  if (running) return { ok: true, started: false, running };
  if (runner.stopping) return { ok: false, message: 'Custodian is shutting down; no sweep was started.' };
  runner.start({ kind: 'on-demand', by: actor });
  return { ok: true, started: true, inScope: runner.settings.mailboxes?.length ?? 'all' };
}
