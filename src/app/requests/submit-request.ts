import { describeHeld } from '../../domain/drift-permission';
import { newRequest } from '../../domain/new-request';
import { policyFor, ROLE_SECURITY, type ApprovalRequirement } from '../../domain/policy';
import { formatRequestId, requestCounterName } from '../../domain/request-id';
import {
  looksLikeMailbox,
  validateDraft,
  type DraftField,
  type MailboxLookup,
  type RequestDraft,
  type ValidRequest,
} from '../../domain/request-draft';
import type { AccessRequest, Person, RequestFlags } from '../../domain/types';
import { auditRequest } from '../audit/audit-request';
import type { AppContext } from '../context';
import { mutateRequest } from '../persistence/mutate-request';
import { moved } from '../../domain/transition';
import { isOpen } from '../../domain/open-request';
import { OpenRequestExistsError } from '../../store/store';
import { recordStepOutcomes, reportStepOutcomes, sendSubmissionNotices } from '../notices/steps';

export type SubmitResult = { ok: true; request: AccessRequest } | { ok: false; errors: Partial<Record<DraftField, string>> };

/**
 * Validates a request and, only if every field is valid and the pre-checks
 * pass, stores it, sends the notices its pack requires and posts the approval card.
 */
export async function submitRequest(
  ctx: AppContext,
  requester: Person,
  draft: RequestDraft,
  /** Where the requester's status card already is (the form's own card), stored with the request. */
  statusCard?: { conversationKey: string; activityId: string },
): Promise<SubmitResult> {
  // Independent look-ups go out together; each answer is used only where the sequential flow would have asked.
  const granteeLookup = settle(ctx.directory.getUser(requester.aadObjectId));
  const lookup = await lookupMailbox(ctx, draft.mailbox);
  const checked = validateDraft(draft, ctx.policies, lookup, requester);
  if (!checked.ok) {
    await ctx.audit.append({
      type: 'request.invalid',
      actor: requester,
      mailbox: draft.mailbox,
      ticket: draft.ticket,
      jurisdiction: draft.jurisdiction,
      details: { errors: checked.errors },
    });
    return checked;
  }
  const valid = checked.value;
  const grantee = await valueOf(granteeLookup);
  if (!grantee)
    return refuse(ctx, requester, valid, 'mailbox', 'Your account was not found in the directory, so nothing can be granted to it.');
  const fullRequester: Person = {
    aadObjectId: requester.aadObjectId,
    name: grantee.displayName,
    upn: grantee.userPrincipalName.toLowerCase(),
  };

  const prechecks = await runPrechecks(ctx, fullRequester, valid);
  if ('error' in prechecks) return refuse(ctx, fullRequester, valid, prechecks.field, prechecks.error, prechecks.standing);

  const now = ctx.clock.now();
  const year = new Date(now).getUTCFullYear();
  const id = formatRequestId(year, await ctx.store.nextSequence(requestCounterName(year)));
  const request = newRequest({
    id,
    requester: fullRequester,
    now,
    valid,
    flags: prechecks.flags,
    extraApprovals: prechecks.extraApprovals,
  });
  if (statusCard) request.cards = [{ ...statusCard, view: 'status' }];
  try {
    await ctx.store.insertRequest(request);
  } catch (error) {
    // The store holds one open request per requester and mailbox; this one's number stays unused, and the refusal says so.
    if (!(error instanceof OpenRequestExistsError)) throw error;
    const own = await openRequestFor(ctx, fullRequester, valid.mailbox.upn);
    const message = own ? alreadyOpen(own, valid.mailbox.upn) : `You already have an open request for ${valid.mailbox.upn}.`;
    return refuse(ctx, fullRequester, valid, 'mailbox', message, false, { unusedRequestId: id });
  }
  await auditRequest(ctx, 'request.submitted', fullRequester, request, {
    access: request.access,
    folder: request.folder,
    durationMinutes: request.durationMinutes,
    justification: request.justification,
    legalBasis: request.legalBasis,
    requiredApprovals: request.requiredApprovals,
    flags: request.flags,
  });
  // The notices go out first and the approval cards show how they went; both are stored in one write.
  const notices = await sendSubmissionNotices(ctx, request);
  const shown = recordStepOutcomes(request, notices, ctx.clock.now());
  const posted = await ctx.notifier.postApprovalCard(shown);
  if (!posted.some((card) => card.conversationKey === 'approvals')) {
    await ctx.notifier.tellSecurity(
      'refused',
      shown,
      `${id} is waiting for approval, but no approvals conversation is registered. An admin must write "@Custodian use this channel for approvals" in one.`,
    );
  }
  if (notices.length === 0 && posted.length === 0) return { ok: true, request };
  const recorded = await mutateRequest(
    ctx.store,
    id,
    (current) =>
      moved({ ...recordStepOutcomes(current, notices, ctx.clock.now()), cards: [...current.cards, ...posted] }, 'submission.recorded'),
    request,
  );
  if (!recorded.ok) return { ok: true, request: recorded.request ?? shown };
  await reportStepOutcomes(ctx, recorded.request, notices);
  // Changed by someone else between the insert and this write (a cancel, an early click): the posted cards show an older state.
  if (recorded.previous.version !== request.version) await ctx.notifier.refreshCards(recorded.request);
  return { ok: true, request: recorded.request };
}

async function lookupMailbox(ctx: AppContext, mailbox: string | undefined): Promise<MailboxLookup> {
  if (!looksLikeMailbox(mailbox)) return { status: 'not-found' };
  const user = await ctx.directory.findUser(mailbox!.trim());
  if (!user) return { status: 'not-found' };
  return { status: 'found', objectId: user.id, upn: user.userPrincipalName, displayName: user.displayName, hasMailbox: user.hasMailbox };
}

/** The requester's open request for this mailbox, if any (newest 200 of theirs are enough: one can be open per mailbox). */
async function openRequestFor(ctx: AppContext, requester: Person, mailbox: string): Promise<AccessRequest | undefined> {
  const theirs = await ctx.store.listRequestsByRequester(requester.aadObjectId, 200);
  return theirs.find((request) => request.mailbox.upn.toLowerCase() === mailbox.toLowerCase() && isOpen(request));
}

function alreadyOpen(own: AccessRequest, mailbox: string): string {
  return own.status === 'pending'
    ? `You already have a pending request for ${mailbox} (${own.id}); cancel it first ("cancel ${own.id}") or wait for the decision.`
    : `You already have access to ${mailbox} through ${own.id} (${own.status}); release it first ("release ${own.id}").`;
}

type Prechecks = { flags: RequestFlags; extraApprovals: ApprovalRequirement[] } | { error: string; field: DraftField; standing?: boolean };

/**
 * Standing access, mailbox auditing and conflict of interest: facts from
 * Exchange and the directory, asked for all at once and judged in this order
 * (the first that refuses wins, and a failed look-up counts only if the
 * checks before it passed).
 */
async function runPrechecks(ctx: AppContext, requester: Person, valid: ValidRequest): Promise<Prechecks> {
  const flags: RequestFlags = {};
  const extraApprovals: ApprovalRequirement[] = [];
  const permissionsLookup = settle(ctx.exchange.listPermissions(valid.mailbox.upn));
  // Judged from the organization's AuditDisabled and the mailbox's audit bypass, not from AuditEnabled (real-tenant.md fact 6).
  const auditLookup = settle(ctx.exchange.auditStatus(valid.mailbox.upn));
  const conflictLookup = settle(conflictOfInterest(ctx, requester, valid));
  const permissions = await valueOf(permissionsLookup);
  const standing = permissions.filter((entry) => entry.grantee.toLowerCase() === requester.upn);
  if (standing.length > 0) {
    // Access this requester already holds through Custodian is not standing access: say which request it is.
    const own = await openRequestFor(ctx, requester, valid.mailbox.upn);
    if (own) return { field: 'mailbox', error: alreadyOpen(own, valid.mailbox.upn) };
    const held = standing.map((entry) => describeHeld({ ...entry, mailbox: valid.mailbox.upn })).join(', ');
    return {
      field: 'mailbox',
      standing: true,
      error: `You already hold standing access to ${valid.mailbox.upn} (${held}). Standing access must be removed first; the security team has been told.`,
    };
  }
  const audit = await valueOf(auditLookup);
  if (!audit.audited) {
    if (valid.policy.requireMailboxAudit)
      return {
        field: 'mailbox',
        error: `Mailbox auditing is disabled on ${valid.mailbox.upn}; ${valid.policy.code} requires it before access can be granted. Exchange says: ${audit.reason}. Ask an Exchange admin to enable it.`,
      };
    flags.mailboxAuditDisabled = true;
  }
  const conflict = await valueOf(conflictLookup);
  if (conflict) {
    flags.conflictOfInterest = conflict;
    const policy = policyFor(ctx.policies, valid.policy.code);
    if (policy && policy.conflictOfInterestApprovals > 0)
      extraApprovals.push({ role: ROLE_SECURITY, count: policy.conflictOfInterestApprovals });
  }
  return { flags, extraApprovals };
}

type Settled<T> = Promise<{ ok: true; value: T } | { ok: false; error: unknown }>;

/** Starts a look-up whose failure matters only if its answer is asked for (no unhandled rejection meanwhile). */
function settle<T>(promise: Promise<T>): Settled<T> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

async function valueOf<T>(settled: Settled<T>): Promise<T> {
  const outcome = await settled;
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

async function conflictOfInterest(ctx: AppContext, requester: Person, valid: ValidRequest): Promise<string | undefined> {
  const [requesterManager, ownerManager] = await Promise.all([
    ctx.directory.getManager(requester.aadObjectId),
    ctx.directory.getManager(valid.mailbox.objectId),
  ]);
  if (requesterManager?.id === valid.mailbox.objectId) return `The mailbox owner ${valid.mailbox.displayName} is the requester's manager.`;
  if (ownerManager?.id === requester.aadObjectId)
    return `The mailbox owner ${valid.mailbox.displayName} is a direct report of the requester.`;
  return undefined;
}

async function refuse(
  ctx: AppContext,
  requester: Person,
  valid: ValidRequest,
  field: DraftField,
  message: string,
  standing = false,
  extra: Record<string, unknown> = {},
): Promise<SubmitResult> {
  await ctx.audit.append({
    type: standing ? 'request.refused.standing-access' : 'request.refused',
    actor: requester,
    mailbox: valid.mailbox.upn,
    ticket: valid.ticket,
    jurisdiction: valid.policy.code,
    details: { field, message, ...extra },
  });
  if (standing)
    await ctx.notifier.tellSecurity(
      'standing-access',
      null,
      `Standing access found: ${requester.upn} already holds permissions on ${valid.mailbox.upn} outside Custodian (found while refusing a request for ticket ${valid.ticket}).`,
    );
  return { ok: false, errors: { [field]: message } };
}
