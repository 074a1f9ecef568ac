import { ROLE_SECURITY } from '../../domain/policy';
import { decideItem, type ReviewItem, type ReviewOutcome } from '../../domain/review-record';
import { requestParties, separationOfDuties } from '../../domain/separation-of-duties';
import type { AccessRequest, Person } from '../../domain/types';
import { policyParties } from '../roles/judgement-parties';
import type { AppContext } from '../context';
import { refreshReviewCard } from './review-board';
import type { ReviewCards } from '../ports';
import { reviewItemRecords } from './review-records';

export type ReviewOutcomeResult = { ok: true; item: ReviewItem } | { ok: false; message: string; item: ReviewItem | null };

function who(person: Person): string {
  return person.name ?? person.aadObjectId;
}

/** Nobody reviews a grant they requested, hold, own the mailbox of or approved (nor, by policy, a manager of those). */
async function reviewConflict(ctx: AppContext, actor: Person, request: AccessRequest, status: ReviewOutcome['status']) {
  const also = await policyParties(ctx, {
    requester: { aadObjectId: request.requester.aadObjectId },
    owner: { aadObjectId: request.mailbox.objectId, address: request.mailbox.upn },
  });
  return separationOfDuties(
    actor,
    request.id,
    requestParties(request, { approvers: true, also }),
    status === 'fine' ? 'review' : 'escalate',
  );
}

/**
 * "Reviewed – fine" or "Escalate" on a marked grant, by a member of the
 * security role who plays no part in the grant (separation of duties). The
 * verdict and every refusal are audited; an escalation is also announced in
 * the security conversation.
 */
export async function decideReviewItem(
  ctx: AppContext,
  cards: ReviewCards,
  actor: Person,
  requestId: string,
  status: ReviewOutcome['status'],
  comment?: string,
): Promise<ReviewOutcomeResult> {
  const action = status === 'fine' ? 'review-fine' : 'review-escalate';
  if (!(await ctx.roles.hasRole(actor, ROLE_SECURITY))) {
    await ctx.audit.append({
      type: `refused.${action}`,
      actor,
      requestId,
      details: { code: 'not-allowed', reason: 'not in the security role' },
    });
    await ctx.notifier.tellSecurity(
      'refused',
      null,
      `${who(actor)} tried to record a review verdict on ${requestId} without the security role.`,
    );
    return { ok: false, message: 'Only members of the security role can review grants.', item: null };
  }
  const items = reviewItemRecords(ctx.store);
  const request = await ctx.store.getRequest(requestId);
  const where = { requestId, ticket: request?.ticket, mailbox: request?.mailbox.upn, jurisdiction: request?.jurisdiction };
  if (!request) {
    // Without the grant its parties are unknown, so nobody can be shown not to be one of them.
    const message = `${requestId} is not a grant Custodian knows; nothing was recorded.`;
    await ctx.audit.append({ type: `refused.${action}`, actor, requestId, details: { code: 'not-found', reason: message } });
    return { ok: false, message, item: null };
  }
  const conflict = await reviewConflict(ctx, actor, request, status);
  if (conflict) {
    await ctx.audit.append({
      type: `refused.${action}`,
      actor,
      ...where,
      details: { code: conflict.code, reason: conflict.message, part: conflict.part },
    });
    await ctx.notifier.tellSecurity('refused', request, `Refused ${action} by ${who(actor)} on ${requestId}: ${conflict.message}`);
    // The card stays as it is, so the reviewers who may judge it still see its buttons.
    return { ok: false, message: conflict.message, item: (await items.get(requestId))?.body ?? null };
  }
  const result = await items.mutate(requestId, (current) => decideItem(current, status, actor, ctx.clock.now(), comment));
  if (!result.ok) {
    const message = result.refusal.code === 'not-found' ? `${requestId} is not marked for review.` : result.refusal.message;
    await ctx.audit.append({ type: `refused.${action}`, actor, ...where, details: { code: result.refusal.code, reason: message } });
    return { ok: false, message, item: result.record?.body ?? null };
  }
  const item = result.record.body;
  await ctx.audit.append({
    type: result.event,
    actor,
    ...where,
    details: { ...result.details, reasons: item.reasons, carried: item.carried },
  });
  if (status === 'escalated' && request) {
    await ctx.notifier.tellSecurity(
      'review-escalated',
      request,
      `${who(actor)} escalated ${requestId} in access review ${item.reviewId}: ${item.outcome?.comment ?? ''}`,
    );
  }
  await refreshReviewCard(ctx, cards, item.reviewId);
  return { ok: true, item };
}
