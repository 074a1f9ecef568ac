import { allowFinding, startRemoval, type DriftFinding } from '../../domain/drift-finding';
import { describeHeld } from '../../domain/drift-permission';
import { ROLE_SECURITY } from '../../domain/policy';
import { refusal, type Refusal } from '../../domain/refusal';
import { separationOfDuties, type Party } from '../../domain/separation-of-duties';
import type { Person } from '../../domain/types';
import { DuplicateKeyError } from '../../store/store';
import type { AppContext } from '../context';
import type { FindingCards } from '../ports';
import { allowRecords, findingRecords } from './drift-records';
import { executeRemoval } from './execute-removal';
import { judgeWithAddresses, policyParties } from '../roles/judgement-parties';

export type FindingActionResult =
  { ok: true; finding: DriftFinding; message: string } | { ok: false; message: string; finding: DriftFinding | null };

const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function who(person: Person): string {
  return person.name ?? person.aadObjectId;
}

type FindingAction = 'finding-remove' | 'finding-allow';

/** Refusals that look like an attempt at what the person may not do: the security team hears of them. */
const REPORTED = new Set(['not-allowed', 'separation-of-duties']);

/** The one refusal path of finding actions: audited always, reported when it looks like an attempt. */
async function refuse(
  ctx: AppContext,
  actor: Person,
  action: FindingAction,
  findingId: string,
  finding: DriftFinding | null,
  refusal: { code: string; message: string; part?: string },
): Promise<FindingActionResult> {
  await ctx.audit.append({
    type: `refused.${action}`,
    actor,
    mailbox: finding?.permission.mailbox,
    details: { findingId, code: refusal.code, reason: refusal.message, ...(refusal.part && { part: refusal.part }) },
  });
  if (REPORTED.has(refusal.code))
    await ctx.notifier.tellSecurity('refused', null, `Refused ${VERB[action]} by ${who(actor)} on ${findingId}: ${refusal.message}`);
  return { ok: false, message: refusal.message, finding };
}

const VERB: Record<FindingAction, string> = { 'finding-remove': 'remove', 'finding-allow': 'allow' };

/**
 * Who may act on a finding: the security role, and never the holder of the
 * permission or the owner of the mailbox (separation of duties). Findings name
 * people by address, so the judge's addresses come from the directory.
 */
async function mayJudge(
  ctx: AppContext,
  actor: Person,
  action: FindingAction,
  findingId: string,
  finding: DriftFinding | undefined,
): Promise<Refusal | null> {
  if (!(await ctx.roles.hasRole(actor, ROLE_SECURITY)))
    return refusal('not-allowed', `Only members of the security role can ${VERB[action]} standing access.`);
  if (!finding) return null; // the change itself says that no such finding exists
  const judge = await judgeWithAddresses(ctx, actor);
  if (!judge) return refusal('not-allowed', `The directory does not know you, so Custodian cannot tell whether ${findingId} is about you.`);
  const p = finding.permission;
  const also = await policyParties(ctx, { requester: { address: p.grantee }, owner: { address: p.mailbox } });
  const parties: Party[] = [{ part: 'grantee', address: p.grantee }, { part: 'mailbox-owner', address: p.mailbox }, ...also];
  return separationOfDuties(judge, findingId, parties, VERB[action]);
}

/** A separation-of-duties refusal shows the card again, still offering its actions to the others; other refusals answer in words. */
function shownWith(denied: Refusal, finding: DriftFinding | undefined): DriftFinding | null {
  return denied.code === 'separation-of-duties' ? (finding ?? null) : null;
}

/** The refusal of a finding change the domain would not make. */
function changeRefused(findingId: string, code: string, message: string) {
  return { code, message: code === 'not-found' ? `No finding ${findingId} exists.` : message };
}

/**
 * "Remove now" on a finding: the intent is stored and audited and the click
 * answered; Exchange is asked right after the answer. A failure is retried by
 * the scheduler with backoff (see execute-removal.ts), and the card says where
 * it stands.
 */
export async function removeFinding(ctx: AppContext, cards: FindingCards, actor: Person, findingId: string): Promise<FindingActionResult> {
  const repo = findingRecords(ctx.store);
  const current = await repo.get(findingId);
  const denied = await mayJudge(ctx, actor, 'finding-remove', findingId, current?.body);
  if (denied) return refuse(ctx, actor, 'finding-remove', findingId, shownWith(denied, current?.body), denied);
  if (current && !ADDRESS.test(current.body.permission.grantee)) {
    return refuse(ctx, actor, 'finding-remove', findingId, current.body, {
      code: 'not-actionable',
      message: `Exchange names the holder "${current.body.permission.grantee}", which is not an address Custodian can act on; remove the permission in Exchange.`,
    });
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
      changeRefused(findingId, result.refusal.code, result.refusal.message),
    );
  const p = result.record.body.permission;
  await ctx.audit.append({
    type: result.event,
    actor,
    mailbox: p.mailbox,
    details: { findingId, grantee: p.grantee, kind: p.kind, folder: p.folder },
  });
  const removing = result.record.body;
  // Exchange is asked after the answer; executeRemoval updates the card and tells the security team when it confirms or fails.
  void ctx.afterAnswer.run({ name: 'finding-remove', actor }, () => executeRemoval(ctx, cards, removing));
  return {
    ok: true,
    finding: removing,
    message: `Removing ${describeHeld(p)} of ${p.grantee} on ${p.mailbox}: Exchange is being asked now. This card changes when Exchange confirms it.`,
  };
}

/** "Allow": with a reason, the permission joins the allow-list and is never reported again. */
export async function allowStandingAccess(
  ctx: AppContext,
  cards: FindingCards,
  actor: Person,
  findingId: string,
  reason: string | undefined,
): Promise<FindingActionResult> {
  const repo = findingRecords(ctx.store);
  const current = await repo.get(findingId);
  const denied = await mayJudge(ctx, actor, 'finding-allow', findingId, current?.body);
  if (denied) return refuse(ctx, actor, 'finding-allow', findingId, shownWith(denied, current?.body), denied);
  const result = await repo.mutate(findingId, (finding) => allowFinding(finding, actor, ctx.clock.now(), reason));
  if (!result.ok)
    return refuse(
      ctx,
      actor,
      'finding-allow',
      findingId,
      result.record?.body ?? null,
      changeRefused(findingId, result.refusal.code, result.refusal.message),
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
