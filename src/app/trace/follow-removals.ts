import { removalDone } from '../../domain/trace-finding';
import { SYSTEM_ACTOR } from '../../domain/types';
import type { AppContext } from '../context';
import { findingRecords } from '../drift/drift-records';
import { traceFindingRecords, type TraceCards } from './trace-records';

/**
 * "Remove now" on an untraced change is carried out by the drift removal of
 * the same permission; once Exchange confirmed that one, the trace finding
 * says so too (audited, card updated). Returns how many it closed.
 */
export async function followRemovals(ctx: AppContext, cards: TraceCards): Promise<number> {
  const repo = traceFindingRecords(ctx.store);
  const drift = findingRecords(ctx.store);
  let closed = 0;
  for (const record of await repo.list(['removing'])) {
    const removal = record.body.removal;
    const driftFinding = removal ? await drift.get(removal.driftFindingId) : null;
    const removedAt = driftFinding?.body.removal?.removedAt;
    if (driftFinding?.body.status !== 'removed' || removedAt === undefined) continue;
    const result = await repo.mutate(record.id, (current) => removalDone(current, removedAt));
    if (!result.ok) continue;
    closed++;
    const finding = result.record.body;
    await ctx.audit.append({
      type: result.event,
      actor: SYSTEM_ACTOR,
      mailbox: finding.change?.mailbox,
      details: { findingId: finding.id, ...result.details },
    });
    if (finding.card)
      await cards
        .updateTraceFinding(finding.card, finding)
        .catch((error: unknown) => ctx.logger.error({ err: error, findingId: finding.id }, 'trace card update failed'));
  }
  return closed;
}
