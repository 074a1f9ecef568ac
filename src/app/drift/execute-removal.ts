import { claimRemoval, removalConfirmed, removalFailed, type DriftFinding } from '../../domain/drift-finding';
import { describeHeld } from '../../domain/drift-permission';
import { SYSTEM_ACTOR } from '../../domain/types';
import type { AppContext } from '../context';
import { errorText } from '../../shared/error-text';
import type { Versioned } from '../persistence/record-repo';
import type { FindingCards } from '../ports';
import { findingRecords } from './drift-records';

// Why not an AccessRequest in the requests table, so that execute-revoke and
// the scheduler's claimDue would do this? A finding is not a request: it has
// no requester, ticket or jurisdiction, and SendAs is not a level Custodian
// grants. As a request it would show up in "mine", "status", the daily
// summary and revoke-all, and the holder would be told "your access ended" for
// access they never asked for. Instead the removal keeps the same guarantees
// with the same parts: the intent is stored ("removing") before Exchange is
// called and "removed" only after Exchange confirmed by reading it back
// (ExchangeAdmin.removePermission, like revoke); failures are retried on the
// revocation backoff from domain/backoff.ts, forever, with the security
// team asked to act after the same number of failures and again every 4 hours;
// due attempts are leased per instance and run from the scheduler's rounds.

async function audit(ctx: AppContext, type: string, finding: DriftFinding, details: Record<string, unknown> = {}): Promise<void> {
  const p = finding.permission;
  await ctx.audit.append({
    type,
    actor: SYSTEM_ACTOR,
    mailbox: p.mailbox,
    details: { findingId: finding.id, grantee: p.grantee, kind: p.kind, folder: p.folder, ...details },
  });
}

async function refreshCard(ctx: AppContext, cards: FindingCards, finding: DriftFinding): Promise<void> {
  if (!finding.card) return;
  try {
    await cards.updateFinding(finding.card, finding);
  } catch (error) {
    ctx.logger.error({ err: error, findingId: finding.id }, 'finding card update failed');
  }
}

/** One attempt at removing the permission of a finding that is "removing" (and leased by this instance). */
export async function executeRemoval(ctx: AppContext, cards: FindingCards, finding: DriftFinding): Promise<DriftFinding> {
  const repo = findingRecords(ctx.store);
  const p = finding.permission;
  await audit(ctx, 'drift.removal.attempted', finding, { attempt: (finding.removal?.attempts ?? 0) + 1 });
  let failure: string | undefined;
  try {
    await ctx.exchange.removePermission(p.mailbox, {
      grantee: p.grantee,
      kind: p.kind,
      ...(p.folder ? { folder: p.folder } : {}),
      ...(p.role ? { role: p.role } : {}),
    });
  } catch (error) {
    failure = errorText(error);
  }
  if (failure === undefined) {
    const result = await repo.mutate(finding.id, (current) => removalConfirmed(current, ctx.clock.now()));
    if (!result.ok) return result.record?.body ?? finding;
    const done = result.record.body;
    await audit(ctx, result.event, done, result.details);
    await refreshCard(ctx, cards, done);
    await ctx.notifier.tellSecurity(
      'finding-removed',
      null,
      `Removed ${describeHeld(p)} of ${p.grantee} on ${p.mailbox} (${done.id}), as asked by ${done.removal?.requestedBy.name ?? done.removal?.requestedBy.aadObjectId ?? 'the security team'}. Exchange confirmed it.`,
    );
    return done;
  }
  let raise = false;
  const result = await repo.mutate(finding.id, (current) => {
    const change = removalFailed(current, ctx.clock.now(), failure);
    raise = change.ok && change.raiseManualAction === true;
    return change;
  });
  if (!result.ok) return result.record?.body ?? finding;
  const failed = result.record.body;
  await audit(ctx, result.event, failed, result.details);
  ctx.logger.warn(
    { findingId: failed.id, attempts: failed.removal?.attempts, error: failure },
    'removal of a standing permission failed; will retry',
  );
  if (raise) {
    await audit(ctx, 'drift.removal.manual-action-raised', failed, { attempts: failed.removal?.attempts });
    await ctx.notifier.tellSecurity(
      'revoke-manual-action',
      null,
      `MANUAL ACTION NEEDED: removing ${describeHeld(p)} of ${p.grantee} on ${p.mailbox} (${failed.id}) failed ${failed.removal?.attempts} times. Last error: ${failure}. Custodian keeps retrying; remove the permission in Exchange if it persists.`,
    );
  }
  await refreshCard(ctx, cards, failed);
  return failed;
}

/** Removal attempts that are due (retries after a failure, or work a stopped instance left), leased and run; for each scheduler round. */
export async function processDueRemovals(ctx: AppContext, cards: FindingCards): Promise<number> {
  const repo = findingRecords(ctx.store);
  const now = ctx.clock.now();
  const due = (await repo.list(['removing'])).filter((record: Versioned<DriftFinding>) => {
    const removal = record.body.removal;
    return removal && removal.dueAt !== null && removal.dueAt <= now && (removal.leaseUntil === undefined || removal.leaseUntil <= now);
  });
  let worked = 0;
  for (const record of due) {
    const claimed = await repo.mutate(record.id, (current) => claimRemoval(current, now, ctx.instanceId, now + ctx.leaseMs));
    if (!claimed.ok) continue;
    worked++;
    await executeRemoval(ctx, cards, claimed.record.body);
  }
  return worked;
}
