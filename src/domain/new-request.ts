import type { ApprovalRequirement } from './policy';
import type { ValidRequest } from './request-draft';
import type { AccessRequest, Person, RequestFlags, StepState } from './types';

export interface NewRequestInput {
  id: string;
  requester: Person;
  now: number;
  valid: ValidRequest;
  flags?: RequestFlags;
  /** Extra approvals when a conflict of interest was found. */
  extraApprovals?: ApprovalRequirement[];
}

const MINUTE = 60_000;

/** Builds the pending request; steps and required approvals are copied from the pack. */
export function newRequest(input: NewRequestInput): AccessRequest {
  const { valid, now } = input;
  const policy = valid.policy;
  const flags: RequestFlags = { ...input.flags };
  const steps: StepState[] = policy.steps.map((step) => {
    const phase = step.kind === 'after-access-notice' ? 'after' : 'before';
    const base: StepState = { id: step.id, kind: step.kind, label: step.label, target: step.target, phase, status: 'pending' };
    if (step.withholdable && valid.noticeWithheldReason) {
      flags.advanceNoticeWithheld = true;
      return { ...base, status: 'waived', at: now, by: input.requester, note: valid.noticeWithheldReason };
    }
    return base;
  });
  const needsAfterNotice = policy.afterAccessNotice || flags.advanceNoticeWithheld;
  if (needsAfterNotice && !steps.some((step) => step.kind === 'after-access-notice')) {
    steps.push({
      id: 'after-access-notice',
      kind: 'after-access-notice',
      label: 'Tell the employee after access ended',
      target: 'employee',
      phase: 'after',
      status: 'pending',
    });
  }
  const pendingExpiresAt = now + policy.pendingTtlMinutes * MINUTE;
  const reminderAt = policy.reminderBeforeMinutes > 0 ? pendingExpiresAt - policy.reminderBeforeMinutes * MINUTE : undefined;
  const requiredApprovals = mergeRequirements(policy.approvals, input.extraApprovals ?? []);
  const request: AccessRequest = {
    id: input.id,
    version: 0,
    status: 'pending',
    requester: input.requester,
    mailbox: valid.mailbox,
    ticket: valid.ticket,
    jurisdiction: policy.code,
    access: valid.access,
    folder: valid.folder,
    durationMinutes: valid.durationMinutes,
    justification: valid.justification,
    legalBasis: valid.legalBasis,
    noticeWithheldReason: valid.noticeWithheldReason,
    createdAt: now,
    pendingExpiresAt,
    reminderAt: reminderAt !== undefined && reminderAt > now ? reminderAt : undefined,
    requiredApprovals,
    approvals: [],
    flags,
    steps,
    revokeAttempts: 0,
    grantAttempts: 0,
    dueAt: null,
    cards: [],
  };
  return { ...request, dueAt: pendingDueAt(request) };
}

function mergeRequirements(base: ApprovalRequirement[], extra: ApprovalRequirement[]): AccessRequest['requiredApprovals'] {
  const merged = new Map<string, number>();
  for (const item of [...base, ...extra]) merged.set(item.role, (merged.get(item.role) ?? 0) + item.count);
  // A role's "only after these steps" comes from the pack and holds for its extra approvals too.
  const afterSteps = new Map(base.filter((item) => item.afterSteps?.length).map((item) => [item.role, item.afterSteps]));
  return [...merged].map(([role, count]) => {
    const after = afterSteps.get(role);
    return after ? { role, count, afterSteps: [...after] } : { role, count };
  });
}

/** Next time the scheduler must look at a pending request: the reminder, else the expiry. */
export function pendingDueAt(request: AccessRequest): number {
  if (request.reminderAt !== undefined && request.remindedAt === undefined && request.reminderAt < request.pendingExpiresAt)
    return request.reminderAt;
  return request.pendingExpiresAt;
}
