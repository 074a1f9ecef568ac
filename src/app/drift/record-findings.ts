import { accessLevelSpec, heldKindOf } from '../../domain/access-level';
import { newFinding, seenAgain, vanished, type DriftFinding } from '../../domain/drift-finding';
import { permissionKey, type HeldPermission } from '../../domain/drift-permission';
import { SYSTEM_ACTOR } from '../../domain/types';
import { DuplicateKeyError } from '../../store/store';
import type { AppContext } from '../context';
import type { FindingCards } from '../ports';
import { findingIdFor, findingRecords } from './drift-records';
import type { Versioned } from '../persistence/record-repo';

export interface FindingCounts {
  new: number;
  reappeared: number;
  stillOpen: number;
  gone: number;
}

const DEFAULT_CARDS_PER_SWEEP = 20;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}

/** What the audit trail knows about where a permission came from: a Custodian grant of the same holder and level that has ended. */
async function sinceHint(ctx: AppContext, permission: HeldPermission): Promise<string | undefined> {
  const events = await ctx.store.listAudit({ mailbox: permission.mailbox, limit: 5_000 });
  const granted = [
    ...new Set(events.filter((event) => event.type === 'grant.confirmed' && event.requestId).map((event) => event.requestId!)),
  ].reverse();
  for (const id of granted.slice(0, 50)) {
    const request = await ctx.store.getRequest(id);
    if (!request || (request.requester.upn ?? '').toLowerCase() !== permission.grantee.toLowerCase()) continue;
    if (heldKindOf(accessLevelSpec(request.access).grant) !== permission.kind) continue;
    const ended = request.revokedAt !== undefined ? `, ended ${iso(request.revokedAt)}` : '';
    return `Possibly left over from Custodian grant ${request.id} (granted ${request.grantedAt !== undefined ? iso(request.grantedAt) : 'unknown'}${ended}); Exchange does not say when a permission was added.`;
  }
  return undefined;
}

/**
 * Turns a sweep's unexplained permissions into findings: new ones are stored,
 * audited and get a card (up to a limit per sweep); known open ones are only
 * marked as seen (and get their card if they never had one); resolved ones that came back are reported again; allowed
 * ones stay quiet. Open findings on mailboxes that were read but no longer
 * show the permission are closed as gone. Only mailboxes that were read are
 * ever judged.
 */
export async function recordFindings(
  ctx: AppContext,
  cards: FindingCards,
  sweepId: string,
  unexplained: HeldPermission[],
  readMailboxes: ReadonlySet<string>,
  cardsPerSweep = DEFAULT_CARDS_PER_SWEEP,
  /** Kinds the sweep could not read anywhere (e.g. SendAs without Get-RecipientPermission): never judged gone. */
  unreadKinds: ReadonlySet<string> = new Set(),
): Promise<FindingCounts> {
  const repo = findingRecords(ctx.store);
  const counts: FindingCounts = { new: 0, reappeared: 0, stillOpen: 0, gone: 0 };
  let cardsLeft = cardsPerSweep;
  const seen = new Set<string>();
  const announce = async (finding: Versioned<DriftFinding>) => {
    if (cardsLeft <= 0) return;
    cardsLeft--;
    const posted = await cards.postFinding(finding.body);
    if (posted) await repo.mutate(finding.id, (current) => ({ ok: true, next: { ...current, card: posted }, event: 'drift.finding.card' }));
  };
  for (const permission of unexplained) {
    const key = permissionKey(permission);
    if (seen.has(key)) continue;
    seen.add(key);
    const id = findingIdFor(key);
    const now = ctx.clock.now();
    try {
      const created = await repo.insert(id, newFinding(id, key, permission, sweepId, now, await sinceHint(ctx, permission)));
      counts.new++;
      await ctx.audit.append({
        type: 'drift.finding',
        actor: SYSTEM_ACTOR,
        mailbox: permission.mailbox,
        details: {
          findingId: id,
          sweepId,
          grantee: permission.grantee,
          kind: permission.kind,
          folder: permission.folder,
          role: permission.role,
        },
      });
      await announce(created);
      continue;
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
    }
    const result = await repo.mutate(id, (current) => seenAgain(current, sweepId, now));
    if (!result.ok) continue; // allowed: never reported again
    if (result.event === 'drift.finding.reappeared') {
      counts.reappeared++;
      await ctx.audit.append({
        type: result.event,
        actor: SYSTEM_ACTOR,
        mailbox: permission.mailbox,
        details: {
          findingId: id,
          sweepId,
          ...result.details,
          grantee: permission.grantee,
          kind: permission.kind,
          folder: permission.folder,
        },
      });
      await announce(result.record);
    } else {
      counts.stillOpen++;
      // Never announced: no security conversation was registered yet, or the last sweep hit its card limit.
      if (result.record.body.status === 'open' && !result.record.body.card) await announce(result.record);
    }
  }
  for (const open of await repo.list(['open'])) {
    const finding = open.body;
    if (seen.has(finding.key) || !readMailboxes.has(finding.permission.mailbox) || unreadKinds.has(finding.permission.kind)) continue;
    const result = await repo.mutate(open.id, (current) => vanished(current, sweepId, ctx.clock.now()));
    if (!result.ok) continue;
    counts.gone++;
    await ctx.audit.append({
      type: result.event,
      actor: SYSTEM_ACTOR,
      mailbox: finding.permission.mailbox,
      details: { findingId: open.id, sweepId },
    });
    if (result.record.body.card) await cards.updateFinding(result.record.body.card, result.record.body);
  }
  return counts;
}
