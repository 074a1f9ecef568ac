import { AuditLog, type AuditInput } from '../../../src/audit/audit-log';
import { SYSTEM_ACTOR, type AccessLevel, type Person } from '../../../src/domain/types';
import { ManualClock } from '../../../src/shared/clock';
import { silentLogger } from '../../../src/shared/logger';
import type { Store } from '../../../src/store/store';
import { makeRequest } from '../../store/fixtures';

// A month of audit records written in the shapes the app writes them
// (src/app/audit-request.ts, submit-request.ts, execute-grant.ts, execute-revoke.ts,
// reviews/run-review.ts, drift/*), with counts the report tests know by heart.

export const FROM = Date.UTC(2026, 10, 1);
export const TO = Date.UTC(2026, 11, 1);
const MINUTE = 60_000;

function nov(day: number, hour = 9, minute = 0): number {
  return Date.UTC(2026, 10, day, hour, minute);
}

export function who(name: string): Person {
  return { aadObjectId: `id-${name}`, name: name[0].toUpperCase() + name.slice(1), upn: `${name}@contoso.example` };
}

interface GrantPlan {
  id: string;
  requester: string;
  access: AccessLevel;
  jurisdiction: string;
  strict?: boolean;
  conflict?: boolean;
  submittedAt: number;
  decideAfter: number;
  durationMinutes: number;
  /** How the grant ended and when: expired (minutes after expiry), released/manual (minutes after the grant). */
  end?: { reason: 'expired' | 'released' | 'manual'; after: number };
  manualAction?: boolean;
}

const GRANTS: GrantPlan[] = [
  // Submitted before the period: its facts come from the stored request.
  {
    id: 'CUS-2026-0001',
    requester: 'dave',
    access: 'ReadFolder',
    jurisdiction: 'EU',
    submittedAt: Date.UTC(2026, 9, 31, 23, 30),
    decideAfter: 30,
    durationMinutes: 120,
    end: { reason: 'expired', after: 0.5 },
  },
  {
    id: 'CUS-2026-0002',
    requester: 'alice',
    access: 'FullAccess',
    jurisdiction: 'NO',
    strict: true,
    submittedAt: nov(2),
    decideAfter: 10,
    durationMinutes: 240,
    end: { reason: 'released', after: 60 },
  },
  {
    id: 'CUS-2026-0003',
    requester: 'alice',
    access: 'ReadFolder',
    jurisdiction: 'EU',
    submittedAt: nov(3),
    decideAfter: 20,
    durationMinutes: 60,
    end: { reason: 'expired', after: 2 },
  },
  {
    id: 'CUS-2026-0004',
    requester: 'alice',
    access: 'SendOnBehalf',
    jurisdiction: 'EU',
    submittedAt: nov(9),
    decideAfter: 30,
    durationMinutes: 60,
    end: { reason: 'expired', after: 0.5 },
  },
  {
    id: 'CUS-2026-0005',
    requester: 'alice',
    access: 'FullAccess',
    jurisdiction: 'EU',
    conflict: true,
    submittedAt: nov(10),
    decideAfter: 90,
    durationMinutes: 480,
    end: { reason: 'manual', after: 120 },
  },
  {
    id: 'CUS-2026-0006',
    requester: 'alice',
    access: 'ReadFolder',
    jurisdiction: 'SE',
    submittedAt: nov(16),
    decideAfter: 300,
    durationMinutes: 60,
    end: { reason: 'expired', after: 20 },
    manualAction: true,
  },
  {
    id: 'CUS-2026-0007',
    requester: 'bob',
    access: 'ReadFolder',
    jurisdiction: 'NO',
    strict: true,
    submittedAt: nov(17),
    decideAfter: 5,
    durationMinutes: 60,
    end: { reason: 'expired', after: 0.5 },
  },
  {
    id: 'CUS-2026-0008',
    requester: 'bob',
    access: 'FullAccess',
    jurisdiction: 'EU',
    submittedAt: nov(23),
    decideAfter: 15,
    durationMinutes: 120,
  },
  {
    id: 'CUS-2026-0009',
    requester: 'bob',
    access: 'ReadFolder',
    jurisdiction: 'EU',
    submittedAt: nov(24),
    decideAfter: 1500,
    durationMinutes: 60,
    end: { reason: 'released', after: 30 },
  },
  {
    id: 'CUS-2026-0010',
    requester: 'carol',
    access: 'SendOnBehalf',
    jurisdiction: 'EU',
    submittedAt: nov(30),
    decideAfter: 45,
    durationMinutes: 60,
    end: { reason: 'expired', after: 1 },
  },
  // Granted after the period: must not count.
  {
    id: 'CUS-2026-0013',
    requester: 'alice',
    access: 'FullAccess',
    jurisdiction: 'EU',
    submittedAt: Date.UTC(2026, 11, 1, 0, 10),
    decideAfter: 5,
    durationMinutes: 60,
  },
];

interface Timed {
  at: number;
  input: AuditInput;
}

function requestRecord(
  plan: Pick<GrantPlan, 'id' | 'requester' | 'jurisdiction'>,
  type: string,
  actor: Person,
  status: string,
  details: Record<string, unknown> = {},
): AuditInput {
  return {
    type,
    actor,
    requestId: plan.id,
    ticket: `INC-${plan.id.slice(-4)}`,
    mailbox: 'ceo@contoso.example',
    jurisdiction: plan.jurisdiction,
    details: { status, requester: who(plan.requester), ...details },
  };
}

function grantRecords(plan: GrantPlan): Timed[] {
  const out: Timed[] = [];
  const approver = who('approver');
  const requiredApprovals = plan.strict
    ? [
        { role: 'line-manager', count: 1 },
        { role: 'hr', count: 1 },
      ]
    : [{ role: 'security', count: 1 }];
  const flags = plan.conflict ? { conflictOfInterest: "The mailbox owner is the requester's manager." } : {};
  out.push({
    at: plan.submittedAt,
    input: requestRecord(plan, 'request.submitted', who(plan.requester), 'pending', {
      access: plan.access,
      durationMinutes: plan.durationMinutes,
      justification: 'case',
      legalBasis: plan.strict ? 'aml-sec-4' : undefined,
      requiredApprovals,
      flags,
    }),
  });
  const decidedAt = plan.submittedAt + plan.decideAfter * MINUTE;
  out.push({ at: decidedAt, input: requestRecord(plan, 'request.approved', approver, 'granting', { role: 'security' }) });
  out.push({ at: decidedAt, input: requestRecord(plan, 'grant.attempted', SYSTEM_ACTOR, 'granting', { access: plan.access }) });
  const grantedAt = decidedAt + MINUTE;
  const expiresAt = grantedAt + plan.durationMinutes * MINUTE;
  out.push({
    at: grantedAt,
    input: requestRecord(plan, 'grant.confirmed', SYSTEM_ACTOR, 'active', { expiresAt: new Date(expiresAt).toISOString() }),
  });
  if (!plan.end) return out;
  const endAt = plan.end.reason === 'expired' ? expiresAt + plan.end.after * MINUTE : grantedAt + plan.end.after * MINUTE;
  const startedAt = plan.end.reason === 'expired' ? expiresAt : endAt;
  const by = plan.end.reason === 'released' ? who(plan.requester) : plan.end.reason === 'manual' ? who('sec') : SYSTEM_ACTOR;
  out.push({ at: startedAt, input: requestRecord(plan, 'revoke.started', by, 'revoking', { reason: plan.end.reason }) });
  if (plan.manualAction) {
    out.push({
      at: startedAt + MINUTE,
      input: requestRecord(plan, 'revoke.failed', SYSTEM_ACTOR, 'revoking', { error: 'busy', attempts: 1 }),
    });
    out.push({
      at: startedAt + 2 * MINUTE,
      input: requestRecord(plan, 'revoke.failed', SYSTEM_ACTOR, 'revoking', { error: 'busy', attempts: 2 }),
    });
    out.push({
      at: startedAt + 2 * MINUTE,
      input: requestRecord(plan, 'revoke.manual-action-raised', SYSTEM_ACTOR, 'revoking', { attempts: 2 }),
    });
  }
  out.push({ at: endAt, input: requestRecord(plan, 'revoke.confirmed', SYSTEM_ACTOR, 'revoked', { reason: plan.end.reason }) });
  return out;
}

function otherRecords(): Timed[] {
  const rejected = { id: 'CUS-2026-0011', requester: 'erin', jurisdiction: 'EU' };
  const pending = { id: 'CUS-2026-0012', requester: 'erin', jurisdiction: 'EU' };
  const refusal = (at: number, type: string, actor: string, details: Record<string, unknown> = {}): Timed => ({
    at,
    input: { type, actor: who(actor), details },
  });
  const drift = (at: number, type: string, findingId: string): Timed => ({
    at,
    input: { type, actor: SYSTEM_ACTOR, mailbox: 'ceo@contoso.example', details: { findingId, sweepId: 'SWP-1' } },
  });
  const review = (at: number, details: Record<string, unknown>): Timed => ({
    at,
    input: { type: 'review.posted', actor: SYSTEM_ACTOR, details },
  });
  const verdict = (at: number, type: string, requestId: string): Timed => ({
    at,
    input: { type, actor: who('sec'), requestId, details: { reviewId: 'REV-1' } },
  });
  return [
    {
      at: nov(5),
      input: requestRecord(rejected, 'request.submitted', who('erin'), 'pending', {
        access: 'FullAccess',
        durationMinutes: 60,
        requiredApprovals: [{ role: 'security', count: 1 }],
        flags: {},
      }),
    },
    { at: nov(5, 11), input: requestRecord(rejected, 'request.rejected', who('approver'), 'rejected', { comment: 'no' }) },
    {
      at: nov(25),
      input: requestRecord(pending, 'request.submitted', who('erin'), 'pending', {
        access: 'ReadFolder',
        durationMinutes: 60,
        requiredApprovals: [{ role: 'security', count: 1 }],
        flags: {},
      }),
    },
    refusal(nov(4), 'refused.approve', 'alice', { code: 'self-approval' }),
    refusal(nov(4, 10), 'refused.approve', 'alice', { code: 'self-approval' }),
    refusal(nov(6), 'refused.view', 'bob'),
    refusal(nov(6, 10), 'request.refused', 'erin'),
    refusal(nov(6, 11), 'request.refused.standing-access', 'erin'),
    refusal(nov(7), 'refused.sweep', 'bob'),
    review(nov(16, 8), {
      reviewId: 'REV-1',
      population: ['1', '2', '3', '4', '5'],
      sample: ['1', '3'],
      highImpact: ['2: full-access', '5: conflict-of-interest'],
      marked: ['1', '2', '3', '5'],
      carriedOver: [],
      carriedCount: 0,
    }),
    review(nov(30, 8), {
      reviewId: 'REV-2',
      population: ['6', '7', '8', '9'],
      sample: ['6'],
      highImpact: ['7: strict-jurisdiction', '8: full-access'],
      marked: ['6', '7', '8'],
      carriedOver: ['3'],
      carriedCount: 1,
    }),
    verdict(nov(17), 'review.item.fine', 'CUS-2026-0001'),
    verdict(nov(17, 10), 'review.item.fine', 'CUS-2026-0002'),
    verdict(nov(18), 'review.item.escalated', 'CUS-2026-0005'),
    verdict(nov(30, 9), 'review.item.fine', 'CUS-2026-0006'),
    verdict(nov(30, 10), 'review.item.fine', 'CUS-2026-0007'),
    { at: nov(8, 2), input: { type: 'drift.sweep.started', actor: SYSTEM_ACTOR, details: { sweepId: 'SWP-1' } } },
    drift(nov(8, 3), 'drift.finding', 'F1'),
    drift(nov(8, 3, 1), 'drift.finding', 'F2'),
    drift(nov(8, 3, 2), 'drift.finding', 'F3'),
    drift(nov(8, 3, 3), 'drift.finding.reappeared', 'F4'),
    drift(nov(8, 3, 4), 'drift.finding.gone', 'F9'),
    { at: nov(8, 4), input: { type: 'drift.sweep.finished', actor: SYSTEM_ACTOR, details: { sweepId: 'SWP-1', status: 'done' } } },
    drift(nov(9, 10), 'drift.removal.failed', 'F1'),
    drift(nov(9, 11), 'drift.removal.manual-action-raised', 'F1'),
    drift(nov(9, 12), 'drift.removal.confirmed', 'F1'),
    drift(nov(10, 12), 'drift.finding.allowed', 'F2'),
    { at: nov(15, 2), input: { type: 'drift.sweep.started', actor: SYSTEM_ACTOR, details: { sweepId: 'SWP-2' } } },
    drift(nov(15, 3), 'drift.finding.gone', 'F4'),
    { at: nov(15, 4), input: { type: 'drift.sweep.finished', actor: SYSTEM_ACTOR, details: { sweepId: 'SWP-2', status: 'done' } } },
    // Outside the period on both sides.
    refusal(Date.UTC(2026, 9, 20), 'refused.view', 'mallory'),
    refusal(Date.UTC(2026, 11, 2), 'refused.view', 'mallory'),
  ];
}

/** Writes the month into the store: the chain in time order, and the request submitted before the period. */
export async function writeTrail(store: Store): Promise<void> {
  const early = GRANTS[0];
  await store.insertRequest(
    makeRequest({
      id: early.id,
      status: 'revoked',
      requester: who(early.requester),
      jurisdiction: early.jurisdiction,
      access: early.access,
      durationMinutes: early.durationMinutes,
      createdAt: early.submittedAt,
      flags: {},
      requiredApprovals: [{ role: 'security', count: 1 }],
    }),
  );
  const records = [...GRANTS.flatMap(grantRecords), ...otherRecords()].sort((a, b) => a.at - b.at);
  const clock = new ManualClock(records[0].at);
  const log = new AuditLog(store, clock, silentLogger);
  for (const { at, input } of records) {
    clock.set(at);
    await log.append(input);
  }
}
