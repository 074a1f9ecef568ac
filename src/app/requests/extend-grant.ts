import { approveExtension, pendingExtension, rejectExtension, requestExtension, type ExtensionAsk } from '../../domain/extension';
import { formatDuration } from '../../domain/duration';
import { policyFor } from '../../domain/policy';
import { refusal } from '../../domain/refusal';
import { formatUtc } from '../../domain/time-format';
import { refused } from '../../domain/transition';
import type { AccessRequest, Person } from '../../domain/types';
import type { AppContext } from '../context';
import { act, judge, type DecisionResult } from './decide-request';

// More time on an active grant: asked for by the requester, decided on the
// approval card by the extension's approvers, announced and audited like the grant.

function who(person: Person): string {
  return person.name ?? person.upn ?? person.aadObjectId;
}

/** The requester asks; approvers are told and their card shows the extension. */
export async function extendGrant(ctx: AppContext, person: Person, id: string, ask: ExtensionAsk): Promise<DecisionResult> {
  return act(
    ctx,
    person,
    id,
    'extend',
    (current, now) => {
      // Fail closed: a request whose pack is gone cannot be extended.
      const policy = policyFor(ctx.policies, current.jurisdiction);
      if (!policy)
        return refused(refusal('extension-refused', `${current.jurisdiction} has no policy pack any more, so ${id} cannot be extended.`));
      return requestExtension(current, person, now, ask, policy.extensions, policy.code);
    },
    async (asked) => {
      const text = `${who(person)} asks to extend ${asked.id} (${asked.mailbox.upn}) by ${formatDuration(ask.minutes)}, from ${formatUtc(asked.expiresAt)}: ${ask.reason.trim()}`;
      await ctx.notifier.tellApprovers(asked, `${text}. Decide on the approval card; without a decision the grant ends as planned.`);
      await ctx.notifier.tellSecurity('extension', asked, text);
    },
  );
}

export function approveGrantExtension(ctx: AppContext, person: Person, id: string, comment?: string): Promise<DecisionResult> {
  return judge(
    ctx,
    person,
    id,
    'approve-extension',
    (current, actor, now) => approveExtension(current, actor, now, comment),
    async (request) => {
      if (pendingExtension(request)) return;
      await announce(
        ctx,
        request,
        `The extension of ${request.id} was approved by ${who(person)}; access now ends at ${formatUtc(request.expiresAt)}.`,
      );
    },
  );
}

export function rejectGrantExtension(ctx: AppContext, person: Person, id: string, comment?: string): Promise<DecisionResult> {
  return judge(
    ctx,
    person,
    id,
    'reject-extension',
    (current, actor, now) => rejectExtension(current, actor, now, comment),
    (request) =>
      announce(
        ctx,
        request,
        `The extension of ${request.id} was rejected by ${who(person)}${comment ? `: ${comment}` : ''}; access ends as planned at ${formatUtc(request.expiresAt)}.`,
      ),
  );
}

/** A decided extension: the requester and the security conversation hear of it. */
async function announce(ctx: AppContext, request: AccessRequest, text: string): Promise<void> {
  await ctx.notifier.tellRequester(request, text);
  await ctx.notifier.tellSecurity('extension', request, text);
}
