import { join } from 'node:path';
import { approve } from '../../src/domain/approval-rules';
import { grantConfirmed, stepCompleted } from '../../src/domain/grant-rules';
import { newRequest } from '../../src/domain/new-request';
import type { PolicySet } from '../../src/domain/policy';
import type { Transition } from '../../src/domain/transition';
import type { AccessRequest } from '../../src/domain/types';
import { loadPolicies } from '../../src/config/policies/load-policies';
import type { TenantState } from '../../src/local-tenant';
import type { Store } from '../../src/store/store';
import { APPROVERS, type GeneratedUser } from './generated-users';
import { REPO_ROOT } from './node-process';

const MINUTE = 60_000;
const DURATION_MINUTES = 60;

export function shippedPolicies(): PolicySet {
  return loadPolicies(join(REPO_ROOT, 'bot', 'policies.yaml'));
}

function next(transition: Transition, what: string): AccessRequest {
  if (!transition.ok) throw new Error(`cannot build the grant (${what}): ${transition.refusal.message}`);
  return transition.next;
}

export interface GrantInput {
  id: string;
  requester: GeneratedUser;
  mailbox: GeneratedUser;
  expiresAt: number;
}

/**
 * An active FullAccess grant under the EU pack, as the bot itself would have
 * stored it: submitted, DPO notice done, approved by security, confirmed by
 * Exchange an hour before it expires.
 */
export function activeGrant(policies: PolicySet, input: GrantInput): AccessRequest {
  const grantedAt = input.expiresAt - DURATION_MINUTES * MINUTE;
  const submittedAt = grantedAt - 5 * MINUTE;
  const policy = policies.jurisdictions.EU;
  if (!policy) throw new Error('bot/policies.yaml has no EU pack');
  let request = newRequest({
    id: input.id,
    requester: { aadObjectId: input.requester.aadObjectId, name: input.requester.displayName, upn: input.requester.upn },
    now: submittedAt,
    valid: {
      mailbox: { upn: input.mailbox.upn, displayName: input.mailbox.displayName, objectId: input.mailbox.aadObjectId },
      ticket: `INC-${input.id.replace(/\D/g, '').slice(-9)}`,
      policy,
      access: 'FullAccess',
      durationMinutes: DURATION_MINUTES,
      justification: 'Load test: mailbox export for an investigation.',
    },
  });
  for (const step of request.steps.filter((candidate) => candidate.phase === 'before')) {
    request = next(stepCompleted(request, step.id, submittedAt + MINUTE, 'done', 'sent by e-mail'), `step ${step.id}`);
  }
  const approver = APPROVERS[0];
  request = next(
    approve(request, { person: { aadObjectId: approver.aadObjectId, name: approver.name }, roles: ['security'] }, submittedAt + 2 * MINUTE),
    'approve',
  );
  request = next(grantConfirmed(request, grantedAt), 'grant confirmed');
  return { ...request, version: 1 };
}

/** Inserts the grants into the store (a few at a time) and gives each grantee the permission in the tenant. */
export async function seedGrants(store: Store, tenant: TenantState, grants: AccessRequest[], parallel = 16): Promise<void> {
  for (const grant of grants) tenant.seedPermission({ mailbox: grant.mailbox.upn, grantee: grant.requester.upn!, kind: 'FullAccess' });
  const queue = [...grants];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let grant = queue.shift(); grant; grant = queue.shift()) await store.insertRequest(grant);
    }),
  );
}
