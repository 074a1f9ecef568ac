import { REMOVABLE_KINDS } from '../../domain/admin-change';
import { newFinding, seenAgain, type DriftFinding } from '../../domain/drift-finding';
import { permissionKey, type HeldKind, type HeldPermission } from '../../domain/drift-permission';
import { ROLE_SECURITY } from '../../domain/policy';
import type { RecordChange } from '../../domain/review-record';
import { separationOfDuties } from '../../domain/separation-of-duties';
import { acceptFinding, findingParties, linkFinding, removalStarted, type TraceFinding } from '../../domain/trace-finding';
import type { Person } from '../../domain/types';
import { DuplicateKeyError } from '../../store/store';
import type { AppContext } from '../context';
import { findingIdFor, findingRecords } from '../drift/drift-records';
import { removeFinding } from '../drift/finding-actions';
import type { FindingCards } from '../ports';
import { traceFindingRecords, type TraceCards } from './trace-records';

export type TraceActionResult = { ok: boolean; message: string; finding: TraceFinding | null };

async function refuse(
  ctx: AppContext,
  actor: Person,
  action: string,
  findingId: string,
  finding: TraceFinding | null,
  code: string,
  message: string,
): Promise<TraceActionResult> {
  await ctx.audit.append({
    type: `refused.${action}`,
    actor,
    mailbox: finding?.change?.mailbox ?? finding?.access?.mailbox,
    details: { findingId, code, reason: message },
  });
  return { ok: false, message, finding };
}

/**
 * Security role only, and never about oneself: the person who made the change
 * (or gained the access) may not judge it. The clicker's address comes from
 * the directory by the Entra object ID Teams delivered; if it cannot be
 * read, the click is refused (fail closed).
 */
const VERB: Record<string, string> = { 'trace-remove': 'remove', 'trace-link': 'link', 'trace-accept': 'accept' };

async function mayJudge(ctx: AppContext, actor: Person, action: string, findingId: string): Promise<TraceActionResult | TraceFinding> {
  if (!(await ctx.roles.hasRole(actor, ROLE_SECURITY))) {
    await ctx.notifier.tellSecurity(
      'refused',
      null,
      `${actor.name ?? actor.aadObjectId} tried to act on ${findingId} without the security role.`,
    );
    return refuse(ctx, actor, action, findingId, null, 'not-allowed', 'Only members of the security role can act on untraced changes.');
  }
  const no = (finding: TraceFinding | null, code: string, message: string) => refuse(ctx, actor, action, findingId, finding, code, message);
  const record = await traceFindingRecords(ctx.store).get(findingId);
  if (!record) return no(null, 'not-found', `No finding ${findingId} exists.`);
  const finding = record.body;
  const me = await ctx.directory.getUser(actor.aadObjectId).catch(() => null);
  if (!me)
    return no(
      finding,
      'not-allowed',
      'Custodian could not look you up in the directory, so it cannot tell whether this change is your own; nothing was changed.',
    );
  const judge = { aadObjectId: actor.aadObjectId, addresses: [me.userPrincipalName, ...(me.mail ? [me.mail] : [])] };
  const sod = separationOfDuties(judge, findingId, findingParties(finding), VERB[action] ?? 'decide');
  if (sod) {
    await ctx.notifier.tellSecurity(
      'refused',
      null,
      `${actor.name ?? me.userPrincipalName} tried to judge ${findingId}, a change of their own access.`,
    );
    return no(finding, sod.code, sod.message);
  }
  return finding;
}

async function applied(
  ctx: AppContext,
  cards: TraceCards,
  actor: Person,
  findingId: string,
  decide: (current: TraceFinding) => RecordChange<TraceFinding>,
  action: string,
): Promise<TraceActionResult> {
  const result = await traceFindingRecords(ctx.store).mutate(findingId, decide);
  if (!result.ok) return refuse(ctx, actor, action, findingId, result.record?.body ?? null, result.refusal.code, result.refusal.message);
  const finding = result.record.body;
  await ctx.audit.append({
    type: result.event,
    actor,
    requestId: finding.link?.requestId ?? finding.requestId,
    mailbox: finding.change?.mailbox ?? finding.access?.mailbox,
    details: { findingId, ...result.details },
  });
  if (finding.card)
    await cards
      .updateTraceFinding(finding.card, finding)
      .catch((error: unknown) => ctx.logger.error({ err: error, findingId }, 'trace card update failed'));
  return { ok: true, message: '', finding };
}

/** The drift finding of the same permission, created or reopened, so that its "Remove now" does the removal. */
async function driftFindingFor(ctx: AppContext, finding: TraceFinding, held: HeldPermission): Promise<DriftFinding | string> {
  const key = permissionKey(held);
  const id = findingIdFor(key);
  const repo = findingRecords(ctx.store);
  const now = ctx.clock.now();
  try {
    return (await repo.insert(id, newFinding(id, key, held, finding.runId, now, `untraced change ${finding.id}`))).body;
  } catch (error) {
    if (!(error instanceof DuplicateKeyError)) throw error;
  }
  const existing = await repo.get(id);
  if (!existing) return `The removal of ${finding.id} could not be prepared; try again.`;
  if (existing.body.status === 'allowed') return `${id} puts this permission on the allow-list; use "Accept" with a reason instead.`;
  if (existing.body.status === 'removed' || existing.body.status === 'gone') {
    const reopened = await repo.mutate(id, (current) => seenAgain(current, finding.runId, now));
    return reopened.ok ? reopened.record.body : existing.body;
  }
  return existing.body;
}

/** "Remove now": the permission is removed by the drift removal (intent, read-back, retries with backoff). */
export async function removeUntraced(
  ctx: AppContext,
  cards: TraceCards,
  findingCards: FindingCards,
  actor: Person,
  findingId: string,
): Promise<TraceActionResult> {
  const judged = await mayJudge(ctx, actor, 'trace-remove', findingId);
  if (!('id' in judged)) return judged;
  const change = judged.change;
  const notRemovable =
    !change || change.direction !== 'add' || !REMOVABLE_KINDS.has(change.kind) || change.mailbox === '*'
      ? 'is not a permission Custodian can remove'
      : change.kind === 'Folder' && !change.folder
        ? 'names no folder, so Custodian cannot tell which permission to remove'
        : undefined;
  if (!change || notRemovable)
    return refuse(
      ctx,
      actor,
      'trace-remove',
      findingId,
      judged,
      'not-allowed',
      `${findingId} ${notRemovable ?? 'is not a permission Custodian can remove'}; change it in Exchange, then Accept it with a note.`,
    );
  const held: HeldPermission = {
    mailbox: change.mailbox,
    grantee: change.grantee,
    kind: change.kind as HeldKind,
    ...(change.kind === 'Folder' ? { folder: change.folder, role: change.rights[0] } : {}),
  };
  const drift = await driftFindingFor(ctx, judged, held);
  if (typeof drift === 'string') return refuse(ctx, actor, 'trace-remove', findingId, judged, 'not-allowed', drift);
  if (drift.status === 'open') {
    const started = await removeFinding(ctx, findingCards, actor, drift.id);
    if (!started.ok) return refuse(ctx, actor, 'trace-remove', findingId, judged, 'not-allowed', started.message);
  }
  const result = await applied(
    ctx,
    cards,
    actor,
    findingId,
    (current) => removalStarted(current, actor, ctx.clock.now(), drift.id),
    'trace-remove',
  );
  return result.ok
    ? { ...result, message: `Removing it in Exchange (${drift.id}); the security chat is told when Exchange confirms.` }
    : result;
}

/** "Link to request": an approved request of the same grantee and mailbox explains it. */
export async function linkUntraced(
  ctx: AppContext,
  cards: TraceCards,
  actor: Person,
  findingId: string,
  requestId: string,
): Promise<TraceActionResult> {
  const judged = await mayJudge(ctx, actor, 'trace-link', findingId);
  if (!('id' in judged)) return judged;
  const id = requestId.trim().toUpperCase();
  const request = id ? await ctx.store.getRequest(id) : null;
  const candidate = request
    ? {
        requestId: request.id,
        grantee: request.requester.upn ?? '',
        mailbox: request.mailbox.upn,
        approved: ['granting', 'active', 'revoking', 'revoked'].includes(request.status),
      }
    : null;
  const result = await applied(
    ctx,
    cards,
    actor,
    findingId,
    (current) => linkFinding(current, actor, ctx.clock.now(), candidate, id || '(none given)'),
    'trace-link',
  );
  return result.ok ? { ...result, message: `Linked to ${id}.` } : result;
}

/** "Accept with reason". */
export async function acceptUntraced(
  ctx: AppContext,
  cards: TraceCards,
  actor: Person,
  findingId: string,
  reason: string | undefined,
): Promise<TraceActionResult> {
  const judged = await mayJudge(ctx, actor, 'trace-accept', findingId);
  if (!('id' in judged)) return judged;
  const result = await applied(
    ctx,
    cards,
    actor,
    findingId,
    (current) => acceptFinding(current, actor, ctx.clock.now(), reason),
    'trace-accept',
  );
  return result.ok ? { ...result, message: 'Accepted.' } : result;
}
