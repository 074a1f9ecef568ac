import { allowFinding, startRemoval, type DriftFinding } from '../../domain/drift-finding';
import { describeHeld } from '../../domain/drift-permission';
import { ROLE_SECURITY } from '../../domain/policy';
import type { Person } from '../../domain/types';
import { DuplicateKeyError } from '../../store/store';
import type { AppContext } from '../context';
import type { FindingCards } from '../ports';
import { allowRecords, findingRecords } from './drift-records';
import { executeRemoval } from './execute-removal';

export type FindingActionResult =
  { ok: true; finding: DriftFinding; message: string } | { ok: false; message: string; finding: DriftFinding | null };

const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function who(person: Person): string {
  return person.name ?? person.aadObjectId;
}

async function refuse(
  ctx: AppContext,
  actor: Person,
  action: string,
  findingId: string,
  finding: DriftFinding | null,
  code: string,
  message: string,
): Promise<FindingActionResult> {
  await ctx.audit.append({
    type: `refused.${action}`,
    actor,
    mailbox: finding?.permission.mailbox,
    details: { findingId, code, reason: message },
  });
  return { ok: false, message, finding };
}

/** Security role only; anyone else is refused, audited and reported. */
async function securityOnly(
  ctx: AppContext,
  actor: Person,
  action: string,
  findingId: string,
  what: string,
): Promise<FindingActionResult | null> {
  if (await ctx.roles.hasRole(actor, ROLE_SECURITY)) return null;
  await ctx.notifier.tellSecurity('refused', null, `${who(actor)} tried to ${what} ${findingId} without the security role.`);
  return refuse(ctx, actor, action, findingId, null, 'not-allowed', `Only members of the security role can ${what} standing access.`);
}

/**
 * "Remove now" on a finding: the intent is stored and audited, then Exchange
 * is asked at once; a failure is retried by the scheduler with backoff (see
 * execute-removal.ts), and the card says where it stands.
 */
export async function removeFinding(ctx: AppContext, cards: FindingCards, actor: Person, findingId: string): Promise<FindingActionResult> {
  const denied = await securityOnly(ctx, actor, 'finding-remove', findingId, 'remove');
  if (denied) return denied;
  const repo = findingRecords(ctx.store);
  const current = await repo.get(findingId);
  if (current && !ADDRESS.test(current.body.permission.grantee)) {
    return refuse(
      ctx,
      actor,
      'finding-remove',
      findingId,
      current.body,
      'not-allowed',
      `Exchange names the holder "${current.body.permission.grantee}", which is not an address Custodian can act on; remove the permission in Exchange.`,
    );
  }
  const now = ctx.clock.now();
  const result = await repo.mutate(findingId, (finding) => startRemoval(finding, actor, now, ctx.instanceId, now + ctx.leaseMs));
  if (!result.ok)
    return refuse(
      ctx,
      actor,
      'finding-remove',
      findingId,
      result.record?.body ?? null,
      result.refusal.code,
      result.refusal.code === 'not-found' ? `No finding ${findingId} exists.` : result.refusal.message,
    );
  const p = result.record.body.permission;
  await ctx.audit.append({
    type: result.event,
    actor,
    mailbox: p.mailbox,
    details: { findingId, grantee: p.grantee, kind: p.kind, folder: p.folder },
  });
  const after = await executeRemoval(ctx, cards, result.record.body);
  const message =
    after.status === 'removed'
      ? `Removed ${describeHeld(p)} of ${p.grantee} on ${p.mailbox}; Exchange confirmed it.`
      : `Removal of ${describeHeld(p)} of ${p.grantee} on ${p.mailbox} started; Exchange has not confirmed it yet (${after.removal?.lastError ?? 'pending'}). Custodian retries and tells this conversation.`;
  return { ok: true, finding: after, message };
}

/** "Allow": with a reason, the permission joins the allow-list and is never reported again. */
export async function allowStandingAccess(
  ctx: AppContext,
  cards: FindingCards,
  actor: Person,
  findingId: string,
  reason: string | undefined,
): Promise<FindingActionResult> {
  const denied = await securityOnly(ctx, actor, 'finding-allow', findingId, 'allow');
  if (denied) return denied;
  const repo = findingRecords(ctx.store);
  const result = await repo.mutate(findingId, (finding) => allowFinding(finding, actor, ctx.clock.now(), reason));
  if (!result.ok)
    return refuse(
      ctx,
      actor,
      'finding-allow',
      findingId,
      result.record?.body ?? null,
      result.refusal.code,
      result.refusal.code === 'not-found' ? `No finding ${findingId} exists.` : result.refusal.message,
    );
  const finding = result.record.body;
  const p = finding.permission;
  const text = finding.allowed!.reason;
  try {
    await allowRecords(ctx.store).insert(findingId, {
      rule: {
        mailbox: p.mailbox,
        grantee: p.grantee,
        kind: p.kind,
        ...(p.kind === 'Folder' && p.folder ? { folder: p.folder } : {}),
        reason: text,
        source: `allowed on ${findingId} by ${who(actor)}`,
      },
      findingId,
      by: actor,
      at: ctx.clock.now(),
    });
  } catch (error) {
    // Already there: the finding was allowed by an earlier attempt that stopped between the two writes.
    if (!(error instanceof DuplicateKeyError)) throw error;
  }
  await ctx.audit.append({
    type: result.event,
    actor,
    mailbox: p.mailbox,
    details: { findingId, grantee: p.grantee, kind: p.kind, folder: p.folder, reason: text },
  });
  if (finding.card)
    await cards
      .updateFinding(finding.card, finding)
      .catch((error: unknown) => ctx.logger.error({ err: error, findingId }, 'finding card update failed'));
  return { ok: true, finding, message: `${describeHeld(p)} of ${p.grantee} on ${p.mailbox} is allowed and will not be reported again.` };
}

/** Open findings ("sweep findings"), for the security role only. */
export async function openFindings(
  ctx: AppContext,
  viewer: Person,
): Promise<{ ok: true; findings: DriftFinding[] } | { ok: false; message: string }> {
  if (!(await ctx.roles.hasRole(viewer, ROLE_SECURITY))) {
    await ctx.audit.append({ type: 'refused.findings-query', actor: viewer, details: { reason: 'not in the security role' } });
    return { ok: false, message: 'Only members of the security role can see drift findings.' };
  }
  const findings = (await findingRecords(ctx.store).list(['open', 'removing'])).map((record) => record.body);
  findings.sort((a, b) => a.firstSeenAt - b.firstSeenAt || a.id.localeCompare(b.id));
  return { ok: true, findings };
}
