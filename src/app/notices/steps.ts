import { stepCompleted } from '../../domain/grant-rules';
import { SYSTEM_ACTOR, type AccessRequest, type StepState } from '../../domain/types';
import { auditRequest } from '../audit/audit-request';
import type { AppContext } from '../context';
import { mutateRequest } from '../persistence/mutate-request';
import { noticeValues } from './notice-values';
import type { ConversationPurpose } from '../ports';
import { errorText } from '../../shared/error-text';

const TEAMS_PURPOSES: Record<string, ConversationPurpose> = { hr: 'hr', dpo: 'dpo' };
const TEMPLATE_FOR_TARGET: Record<string, string> = { hr: 'hr-notify', dpo: 'dpo-notify', employee: 'employee-advance' };

/** How one notice of a step went: sent (what was done) or failed (why). */
export interface StepOutcome {
  step: StepState;
  status: 'done' | 'failed';
  note: string;
}

/**
 * Sends the notices a pack requires at submission and says how each went,
 * without writing: the submission records them in the same write as the
 * cards it posts (recordStepOutcomes), then audits them (reportStepOutcomes).
 */
export async function sendSubmissionNotices(ctx: AppContext, request: AccessRequest): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const step of request.steps.filter((candidate) => candidate.kind === 'notify' && candidate.status === 'pending')) {
    outcomes.push(await attempt(step, () => sendNotify(ctx, request, step, TEMPLATE_FOR_TARGET[step.target ?? ''] ?? 'dpo-notify')));
  }
  return outcomes;
}

/** The request with every outcome recorded on its step; a step gone meanwhile is left out. */
export function recordStepOutcomes(request: AccessRequest, outcomes: StepOutcome[], now: number): AccessRequest {
  let current = request;
  for (const outcome of outcomes) {
    const recorded = stepCompleted(current, outcome.step.id, now, outcome.status, outcome.note);
    if (recorded.ok) current = recorded.next;
  }
  return current;
}

/** Audits the recorded outcomes, and tells the security team of each failed one. */
export async function reportStepOutcomes(ctx: AppContext, request: AccessRequest, outcomes: StepOutcome[]): Promise<void> {
  for (const { step, status, note } of outcomes) {
    await auditRequest(ctx, status === 'done' ? 'step.done' : 'step.failed', SYSTEM_ACTOR, request, {
      step: step.id,
      label: step.label,
      target: step.target,
      note,
    });
    if (status === 'failed') await ctx.notifier.tellSecurity('refused', request, `Step "${step.label}" of ${request.id} failed: ${note}.`);
  }
}

async function attempt(step: StepState, send: () => Promise<string>): Promise<StepOutcome> {
  try {
    return { step, status: 'done', note: await send() };
  } catch (error) {
    return { step, status: 'failed', note: errorText(error) };
  }
}

/** After access ended: the after-access notice to the employee. */
export async function runAfterSteps(ctx: AppContext, request: AccessRequest): Promise<AccessRequest> {
  let current = request;
  for (const step of request.steps.filter((candidate) => candidate.phase === 'after' && candidate.status === 'pending')) {
    current = await completeStep(ctx, current, step, () =>
      sendNotify(ctx, current, { ...step, target: step.target ?? 'employee' }, 'employee-after'),
    );
  }
  return current;
}

async function completeStep(ctx: AppContext, request: AccessRequest, step: StepState, send: () => Promise<string>): Promise<AccessRequest> {
  const { status, note } = await attempt(step, send);
  // The caller's copy is the result of its last write (or the claimed copy): tried first, re-read only on a conflict.
  const result = await mutateRequest(
    ctx.store,
    request.id,
    (current) => stepCompleted(current, step.id, ctx.clock.now(), status, note),
    request,
  );
  if (!result.ok) return result.request ?? request;
  await reportStepOutcomes(ctx, result.request, [{ step, status, note }]);
  await ctx.notifier.refreshCards(result.request);
  return result.request;
}

/** Delivers one notice by e-mail (and to a registered Teams conversation for HR/DPO); returns what was done. */
async function sendNotify(ctx: AppContext, request: AccessRequest, step: StepState, template: string): Promise<string> {
  const values = noticeValues(request, ctx.policies);
  const notice = ctx.notices.render(template, values);
  const target = step.target ?? '';
  const done: string[] = [];
  const purpose = TEAMS_PURPOSES[target];
  if (purpose) {
    const teams = ctx.notices.render('hr-teams', values);
    if (await ctx.notifier.tellConversation(purpose, `${notice.subject}\n\n${teams.body}`)) done.push(`Teams ${purpose} conversation`);
  }
  const recipients = await recipientsFor(ctx, request, target);
  if (recipients.length > 0) {
    await ctx.mailer.send({ to: recipients, subject: notice.subject, body: notice.body });
    done.push(`e-mail to ${recipients.join(', ')}`);
  }
  if (done.length === 0) throw new Error(`no Teams conversation is registered for ${target} and no e-mail address is known`);
  return `Sent: ${done.join('; ')}`;
}

async function recipientsFor(ctx: AppContext, request: AccessRequest, target: string): Promise<string[]> {
  if (target.includes('@')) return [target];
  if (target === 'employee') return [request.mailbox.upn];
  const addresses: string[] = [];
  for (const objectId of ctx.roles.listedMembers([target])) {
    const user = await ctx.directory.getUser(objectId);
    const address = user?.mail ?? user?.userPrincipalName;
    if (address) addresses.push(address);
  }
  return addresses;
}
