// Test data for the domain and the Teams views: people, policy packs, valid
// drafts and access requests in every status. Requests in later statuses are
// reached through the domain's own transitions, so fixtures always look like
// records the bot itself would have written.
import { join } from 'node:path';
import { loadPolicies } from '../../src/config/policies/load-policies';
import { approve, cancel, reject, type Actor } from '../../src/domain/approval-rules';
import {
  activityReported,
  expirePending,
  grantConfirmed,
  grantFailed,
  revokeConfirmed,
  startRevocation,
} from '../../src/domain/grant-rules';
import { newRequest, type NewRequestInput } from '../../src/domain/new-request';
import type { JurisdictionPolicy, PolicySet, RoleDefinition } from '../../src/domain/policy';
import type { ValidRequest } from '../../src/domain/request-draft';
import type { Transition } from '../../src/domain/transition';
import type { AccessRequest, Person, RequestStatus } from '../../src/domain/types';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Submission time used throughout: a fixed, readable instant. */
export const T0 = Date.parse('2025-03-10T08:00:00Z');

export const REPO_ROOT = join(__dirname, '..', '..');
export const SHIPPED_POLICIES = join(REPO_ROOT, 'bot', 'policies.yaml');
export const CARDS_DIR = join(REPO_ROOT, 'bot', 'cards');

/** The shipped packs (NO, EU, GLOBAL), freshly loaded so a test may not affect another. */
export function shippedPolicies(): PolicySet {
  return loadPolicies(SHIPPED_POLICIES);
}

function person(id: string, name: string, upn: string): Person {
  return { aadObjectId: id, name, upn };
}

export const people = {
  requester: person('u-requester', 'Rita Requester', 'rita@contoso.com'),
  owner: person('u-owner', 'Alice Owner', 'alice@contoso.com'),
  security: person('u-security-1', 'Sam Security', 'sam@contoso.com'),
  security2: person('u-security-2', 'Sid Security', 'sid@contoso.com'),
  hr: person('u-hr-1', 'Hanna HR', 'hanna@contoso.com'),
  hr2: person('u-hr-2', 'Hugo HR', 'hugo@contoso.com'),
  dpo: person('u-dpo', 'Dora DPO', 'dora@contoso.com'),
  outsider: person('u-outsider', 'Olav Outsider', 'olav@contoso.com'),
} as const;

export function actor(who: Person, ...roles: string[]): Actor {
  return { person: who, roles };
}

/** Roles as configuration lists them, matching the people above. */
export function testRoles(): Record<string, RoleDefinition> {
  const role = (name: string, ...members: Person[]): RoleDefinition => ({ name, members: members.map((member) => member.aadObjectId) });
  return {
    admin: role('admin', people.security),
    security: role('security', people.security, people.security2),
    hr: role('hr', people.hr, people.hr2),
    dpo: role('dpo', people.dpo),
  };
}

/** A pack needing one security and one HR approval, with no steps: approvals alone decide. */
export function simplePack(overrides: Partial<JurisdictionPolicy> = {}): JurisdictionPolicy {
  return {
    code: 'TS',
    name: 'Test simple',
    accessLevels: ['FullAccess', 'ReadFolder', 'SendOnBehalf'],
    minDurationMinutes: 15,
    maxDurationMinutes: 8 * 60,
    defaultDurationMinutes: 4 * 60,
    ticketPattern: 'INC-\\d{3,7}',
    ticketExample: 'INC-12345',
    pendingTtlMinutes: 24 * 60,
    reminderBeforeMinutes: 4 * 60,
    legalBases: [],
    approvals: [
      { role: 'security', count: 1 },
      { role: 'hr', count: 1 },
    ],
    steps: [],
    afterAccessNotice: false,
    requireMailboxAudit: true,
    conflictOfInterestApprovals: 1,
    extensions: { allowed: true, maxTotalMinutes: 8 * 60 },
    ...overrides,
  };
}

/** A strict pack in the shape of the shipped NO pack: notices, an HR attestation and an after-access notice. */
export function strictPack(overrides: Partial<JurisdictionPolicy> = {}): JurisdictionPolicy {
  return simplePack({
    code: 'TX',
    name: 'Test strict',
    legalBases: [
      { id: 'operations', label: 'Daily operations' },
      { id: 'suspicion', label: 'Justified suspicion' },
    ],
    steps: [
      { id: 'notify-hr', kind: 'notify', target: 'hr', label: 'HR informed of the request' },
      { id: 'notify-employee', kind: 'notify', target: 'employee', label: 'Employee notified in advance', withholdable: true },
      { id: 'employee-heard', kind: 'attest', target: 'hr', label: 'The employee was given the opportunity to comment' },
      { id: 'after-access-notice', kind: 'after-access-notice', label: 'Employee told afterwards' },
    ],
    afterAccessNotice: true,
    ...overrides,
  });
}

export function policySet(packs: JurisdictionPolicy[], fallback?: string): PolicySet {
  return {
    source: 'test-policies',
    roles: testRoles(),
    jurisdictions: Object.fromEntries(packs.map((pack) => [pack.code, pack])),
    ...(fallback !== undefined && { fallback }),
  };
}

/** What validateDraft hands to newRequest for a correct submission. */
export function validRequest(overrides: Partial<ValidRequest> = {}): ValidRequest {
  return {
    mailbox: { upn: people.owner.upn as string, displayName: people.owner.name as string, objectId: people.owner.aadObjectId },
    ticket: 'INC-1234',
    policy: simplePack(),
    access: 'FullAccess',
    durationMinutes: 4 * 60,
    justification: 'Investigating a phishing report sent from this mailbox.',
    ...overrides,
  };
}

export interface RequestOptions extends Partial<Omit<NewRequestInput, 'valid'>> {
  valid?: Partial<ValidRequest>;
}

/** A freshly submitted request (status pending), by default under simplePack(). */
export function pendingRequest(options: RequestOptions = {}): AccessRequest {
  const { valid, ...rest } = options;
  return newRequest({ id: 'CUS-2025-0042', requester: people.requester, now: T0, valid: validRequest(valid), ...rest });
}

/** The next record of a transition that a fixture expects to succeed. */
export function nextOf(transition: Transition): AccessRequest {
  if (!transition.ok) throw new Error(`fixture transition refused: ${transition.refusal.code} ${transition.refusal.message}`);
  return transition.next;
}

/** Times at which the fixtures below reached each stage. */
export const TIMES = {
  securityApproved: T0 + 10 * MINUTE,
  hrApproved: T0 + 20 * MINUTE,
  granted: T0 + 21 * MINUTE,
  revokeStarted: T0 + 60 * MINUTE,
  revoked: T0 + 61 * MINUTE,
  decided: T0 + 30 * MINUTE,
};

/** A request under simplePack() (or the pack given) driven to the status asked for. */
export function requestIn(status: RequestStatus, options: RequestOptions = {}): AccessRequest {
  const pending = pendingRequest(options);
  const approved = () =>
    nextOf(
      approve(
        nextOf(approve(pending, actor(people.security, 'security'), TIMES.securityApproved)),
        actor(people.hr, 'hr'),
        TIMES.hrApproved,
      ),
    );
  const active = () => nextOf(grantConfirmed(approved(), TIMES.granted));
  switch (status) {
    case 'pending':
      return pending;
    case 'granting':
      return approved();
    case 'active':
      return active();
    case 'revoking':
      return nextOf(startRevocation(active(), TIMES.revokeStarted, 'released', people.requester));
    case 'revoked':
      // Revoked with its activity report already made, so only after-access work (if any) is left.
      return nextOf(
        activityReported(nextOf(revokeConfirmed(requestIn('revoking', options), TIMES.revoked)), TIMES.revoked, {
          status: 'done',
          recordCount: 0,
          operations: [],
        }),
      );
    case 'grant_failed':
      return nextOf(revokeConfirmed(nextOf(grantFailed(approved(), TIMES.granted, 'Exchange said no')), TIMES.revoked));
    case 'rejected':
      return nextOf(reject(pending, actor(people.security, 'security'), TIMES.decided, 'Not enough grounds'));
    case 'cancelled':
      return nextOf(cancel(pending, people.requester, TIMES.decided));
    case 'expired':
      return nextOf(expirePending(pending, pending.pendingExpiresAt));
  }
}

export const ALL_STATUSES: readonly RequestStatus[] = [
  'pending',
  'granting',
  'active',
  'revoking',
  'revoked',
  'grant_failed',
  'rejected',
  'cancelled',
  'expired',
];

/** Freezes a record and everything inside it, so that any mutation by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as object)) deepFreeze(inner);
  }
  return value;
}

/** A deep copy, to compare an input with its state before a call. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}
