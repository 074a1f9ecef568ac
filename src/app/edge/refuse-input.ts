import { oversizedMessage, type OversizedField } from '../../domain/field-limits';
import type { Person } from '../../domain/types';
import type { AppContext } from '../context';

/**
 * An activity with a value longer than its field allows: refused whole,
 * audited with the field and its size (never its content), reported to the
 * security team (aggregated per sender), and explained to the sender.
 */
export async function refuseOversizedInput(
  ctx: AppContext,
  actor: Person | null,
  oversized: OversizedField,
  activityType: string,
): Promise<string> {
  const who: Person = actor ?? { aadObjectId: 'unidentified', name: 'An unidentified sender' };
  await ctx.audit.append({
    type: 'refused.oversized-input',
    actor: who,
    details: { field: oversized.field, key: oversized.key, size: oversized.size, limit: oversized.limit, activityType },
  });
  await ctx.notifier.tellSecurity(
    'refused',
    null,
    `${who.name ?? who.aadObjectId} sent a ${oversized.field} of ${oversized.size} characters (the limit is ${oversized.limit}); refused.`,
    { refusalKind: 'oversized-input' },
  );
  return oversizedMessage(oversized);
}
