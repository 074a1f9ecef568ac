import type { Person } from '../../domain/types';
import type { AppContext } from '../context';

/** A button press no use case knows: refused, and the refusal audited. */
export async function refuseUnknownAction(ctx: AppContext, actor: Person, requestId: string, verb: string): Promise<string> {
  await ctx.audit.append({ type: 'refused.unknown-action', actor, requestId, details: { verb } });
  return `Unknown action "${verb}"; nothing was changed.`;
}
