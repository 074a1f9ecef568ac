// The request life cycle as a table: every transition the domain allows, with
// its complete result, and every one it refuses, with the refusal code.
import assert from 'node:assert/strict';
import { approve, attest, cancel, reject } from '../../src/domain/approval-rules';
import {
  expirePending,
  grantConfirmed,
  grantFailed,
  release,
  reminded,
  revokeConfirmed,
  revokeFailed,
  startRevocation,
} from '../../src/domain/grant-rules';
import { pendingDueAt } from '../../src/domain/new-request';
import type { RefusalCode } from '../../src/domain/refusal';
import type { Transition } from '../../src/domain/transition';
import type { AccessRequest, RequestStatus } from '../../src/domain/types';
import { ALL_STATUSES, MINUTE, TIMES, actor, deepFreeze, nextOf, people, requestIn, snapshot, strictPack } from '../support/requests';

const NOW = TIMES.hrApproved + 5 * MINUTE;

const securityActor = actor(people.security, 'security');
const security2Actor = actor(people.security2, 'security');
const hrActor = actor(people.hr, 'hr');

/** Pending under simplePack() with the security approval given; HR still missing. */
const securityApproved = () => nextOf(approve(requestIn('pending'), securityActor, TIMES.securityApproved));
/** Pending under strictPack(): notices and an HR attestation still to do. */
const strictPending = () => requestIn('pending', { valid: { policy: strictPack() } });
const activeAt = () => requestIn('active');
const grantFailing = () => nextOf(grantFailed(requestIn('granting'), TIMES.granted, 'Exchange said no'));

interface Allowed {
  from: RequestStatus;
  to: RequestStatus;
  what: string;
  input: () => AccessRequest;
  act: (request: AccessRequest) => Transition;
  expected: (input: AccessRequest) => AccessRequest;
  event: string;
  details?: Record<string, unknown>;
}

const allowed: Allowed[] = [
  {
    from: 'pending',
    to: 'pending',
    what: 'a first approval is recorded while another role is still missing',
    input: () => requestIn('pending'),
    act: (request) => approve(request, securityActor, NOW, 'Looks fine'),
    expected: (input) => ({
      ...input,
      approvals: [{ approver: people.security, role: 'security', at: NOW, comment: 'Looks fine' }],
      dueAt: pendingDueAt(input),
    }),
    event: 'request.approval-recorded',
    details: { role: 'security', comment: 'Looks fine' },
  },
  {
    from: 'pending',
    to: 'granting',
    what: 'the last required approval is given',
    input: securityApproved,
    act: (request) => approve(request, hrActor, NOW),
    expected: (input) => ({
      ...input,
      status: 'granting',
      approvals: [...input.approvals, { approver: people.hr, role: 'hr', at: NOW, comment: undefined }],
      dueAt: NOW,
    }),
    event: 'request.approved',
    details: { role: 'hr', comment: undefined },
  },
  {
    from: 'pending',
    to: 'pending',
    what: 'an HR attestation is recorded',
    input: strictPending,
    act: (request) => attest(request, 'employee-heard', hrActor, NOW, 'done', 'Met on Monday'),
    expected: (input) => ({
      ...input,
      steps: input.steps.map((step) =>
        step.id === 'employee-heard' ? { ...step, status: 'done', by: people.hr, at: NOW, note: 'Met on Monday' } : step,
      ),
    }),
    event: 'step.attested',
    details: { step: 'employee-heard', outcome: 'done', note: 'Met on Monday' },
  },
  {
    from: 'pending',
    to: 'pending',
    what: 'approvers were reminded',
    input: () => requestIn('pending'),
    act: (request) => reminded(request, request.reminderAt as number),
    expected: (input) => ({ ...input, remindedAt: input.reminderAt, dueAt: input.pendingExpiresAt }),
    event: 'request.reminded',
  },
  {
    from: 'pending',
    to: 'rejected',
    what: 'an approver rejects',
    input: () => requestIn('pending'),
    act: (request) => reject(request, hrActor, NOW, 'No legal grounds'),
    expected: (input) => ({ ...input, status: 'rejected', decision: { by: people.hr, at: NOW, comment: 'No legal grounds' }, dueAt: null }),
    event: 'request.rejected',
    details: { comment: 'No legal grounds' },
  },
  {
    from: 'pending',
    to: 'cancelled',
    what: 'the requester cancels',
    input: securityApproved,
    act: (request) => cancel(request, people.requester, NOW),
    expected: (input) => ({ ...input, status: 'cancelled', decision: { by: people.requester, at: NOW }, dueAt: null }),
    event: 'request.cancelled',
  },
  {
    from: 'pending',
    to: 'expired',
    what: 'nobody decided before the pending TTL ran out',
    input: () => requestIn('pending'),
    act: (request) => expirePending(request, request.pendingExpiresAt),
    expected: (input) => ({ ...input, status: 'expired', dueAt: null }),
    event: 'request.expired',
  },
  {
    from: 'granting',
    to: 'active',
    what: 'Exchange confirms the grant',
    input: () => requestIn('granting'),
    act: (request) => grantConfirmed(request, NOW),
    expected: (input) => ({
      ...input,
      status: 'active',
      grantedAt: NOW,
      expiresAt: NOW + 240 * MINUTE,
      dueAt: NOW + 240 * MINUTE,
      grantAttempts: 1,
    }),
    event: 'grant.confirmed',
    details: { expiresAt: NOW + 240 * MINUTE },
  },
  {
    from: 'granting',
    to: 'revoking',
    what: 'Exchange refuses the grant (cleanup of anything half-applied)',
    input: () => requestIn('granting'),
    act: (request) => grantFailed(request, NOW, 'The operation could not be performed'),
    expected: (input) => ({
      ...input,
      status: 'revoking',
      grantError: 'The operation could not be performed',
      revokeReason: 'grant_failed',
      revokeAttempts: 0,
      grantAttempts: 1,
      dueAt: NOW,
    }),
    event: 'grant.failed',
    details: { error: 'The operation could not be performed' },
  },
  {
    from: 'active',
    to: 'revoking',
    what: 'the grant expired',
    input: activeAt,
    act: (request) => startRevocation(request, request.expiresAt as number, 'expired'),
    expected: (input) => ({
      ...input,
      status: 'revoking',
      revokeReason: 'expired',
      revokeRequestedBy: undefined,
      revokeAttempts: 0,
      dueAt: input.expiresAt as number,
    }),
    event: 'revoke.started',
    details: { reason: 'expired' },
  },
  {
    from: 'active',
    to: 'revoking',
    what: 'the requester releases the grant early',
    input: activeAt,
    act: (request) => release(request, people.requester, NOW),
    expected: (input) => ({
      ...input,
      status: 'revoking',
      revokeReason: 'released',
      revokeRequestedBy: people.requester,
      revokeAttempts: 0,
      dueAt: NOW,
    }),
    event: 'revoke.started',
    details: { reason: 'released' },
  },
  {
    from: 'active',
    to: 'revoking',
    what: 'the security team ends the grant by hand',
    input: activeAt,
    act: (request) => startRevocation(request, NOW, 'manual', people.security),
    expected: (input) => ({
      ...input,
      status: 'revoking',
      revokeReason: 'manual',
      revokeRequestedBy: people.security,
      revokeAttempts: 0,
      dueAt: NOW,
    }),
    event: 'revoke.started',
    details: { reason: 'manual' },
  },
  {
    from: 'revoking',
    to: 'revoked',
    what: 'Exchange confirms the revocation',
    input: () => requestIn('revoking'),
    act: (request) => revokeConfirmed(request, NOW, 60_000),
    // A grant that was live gets an activity report, searched for after the delay.
    expected: (input) => ({
      ...input,
      status: 'revoked',
      revokedAt: NOW,
      revokeAttempts: 1,
      lastRevokeError: undefined,
      activity: { status: 'pending', dueAt: NOW + 60_000 },
      dueAt: NOW + 60_000,
    }),
    event: 'revoke.confirmed',
    details: { reason: 'released' },
  },
  {
    from: 'revoking',
    to: 'grant_failed',
    what: 'the cleanup after a failed grant is confirmed',
    input: grantFailing,
    act: (request) => revokeConfirmed(request, NOW),
    expected: (input) => ({
      ...input,
      status: 'grant_failed',
      revokedAt: NOW,
      revokeAttempts: 1,
      lastRevokeError: undefined,
      activity: undefined,
      dueAt: null,
    }),
    event: 'grant.cleanup-confirmed',
    details: { reason: 'grant_failed' },
  },
  {
    from: 'revoking',
    to: 'revoking',
    what: 'a revocation attempt fails and is retried later',
    input: () => requestIn('revoking'),
    act: (request) => revokeFailed(request, NOW, 'Exchange timed out'),
    expected: (input) => ({
      ...input,
      revokeAttempts: 1,
      lastRevokeError: 'Exchange timed out',
      manualActionRaisedAt: undefined,
      dueAt: NOW + 30_000,
    }),
    event: 'revoke.failed',
    details: { error: 'Exchange timed out', attempts: 1, manualActionRaised: false },
  },
];

interface Forbidden {
  what: string;
  input: () => AccessRequest;
  act: (request: AccessRequest) => Transition;
  code: RefusalCode;
  message?: string;
}

/** "a pending request", "an active request". */
const a = (status: RequestStatus) => `${/^[aeiou]/.test(status) ? 'an' : 'a'} ${status}`;

const notPending = ALL_STATUSES.filter((status) => status !== 'pending');
const notActive = ALL_STATUSES.filter((status) => status !== 'active');

const forbidden: Forbidden[] = [
  // Decisions and steps only while pending.
  ...notPending.flatMap((status): Forbidden[] => [
    {
      what: `approve ${a(status)} request`,
      input: () => requestIn(status),
      act: (request) => approve(request, actor(people.hr2, 'hr'), NOW),
      code: 'not-pending',
    },
    {
      what: `reject ${a(status)} request`,
      input: () => requestIn(status),
      act: (request) => reject(request, actor(people.hr2, 'hr'), NOW),
      code: 'not-pending',
    },
    {
      what: `cancel ${a(status)} request`,
      input: () => requestIn(status),
      act: (request) => cancel(request, people.requester, NOW),
      code: 'not-pending',
    },
    {
      what: `attest on ${a(status)} request`,
      input: () => requestIn(status),
      act: (request) => attest(request, 'employee-heard', hrActor, NOW, 'done'),
      code: 'not-pending',
    },
    {
      what: `expire ${a(status)} request as undecided`,
      input: () => requestIn(status),
      act: (request) => expirePending(request, request.pendingExpiresAt + 1),
      code: 'not-pending',
    },
    {
      what: `remind about ${a(status)} request`,
      input: () => requestIn(status),
      act: (request) => reminded(request, request.pendingExpiresAt),
      code: 'not-pending',
    },
  ]),
  // Ending a grant only while active.
  ...notActive.flatMap((status): Forbidden[] => [
    {
      what: `release ${a(status)} request`,
      input: () => requestIn(status),
      act: (request) => release(request, people.requester, NOW),
      code: 'not-active',
    },
    ...(['expired', 'released', 'manual'] as const).map((reason): Forbidden => ({
      what: `start revoking ${a(status)} request (${reason})`,
      input: () => requestIn(status),
      act: (request) => startRevocation(request, NOW + 24 * 60 * MINUTE, reason, people.security),
      code: 'not-active',
    })),
  ]),
  // Exchange outcomes only in the state that called Exchange.
  ...ALL_STATUSES.filter((status) => status !== 'granting').flatMap((status): Forbidden[] => [
    {
      what: `confirm a grant of ${a(status)} request`,
      input: () => requestIn(status),
      act: (request) => grantConfirmed(request, NOW),
      code: 'not-pending',
    },
    {
      what: `fail a grant of ${a(status)} request`,
      input: () => requestIn(status),
      act: (request) => grantFailed(request, NOW, 'x'),
      code: 'not-pending',
    },
  ]),
  ...ALL_STATUSES.filter((status) => status !== 'revoking').flatMap((status): Forbidden[] => [
    {
      what: `confirm a revocation of ${a(status)} request`,
      input: () => requestIn(status),
      act: (request) => revokeConfirmed(request, NOW),
      code: 'not-active',
    },
    {
      what: `fail a revocation of ${a(status)} request`,
      input: () => requestIn(status),
      act: (request) => revokeFailed(request, NOW, 'x'),
      code: 'not-active',
    },
  ]),
  // Timing.
  {
    what: 'expire a pending request one millisecond before its TTL',
    input: () => requestIn('pending'),
    act: (request) => expirePending(request, request.pendingExpiresAt - 1),
    code: 'not-pending',
    message: 'CUS-2025-0042 has not timed out yet.',
  },
  {
    what: 'revoke as expired one millisecond before the grant ends',
    input: activeAt,
    act: (request) => startRevocation(request, (request.expiresAt as number) - 1, 'expired'),
    code: 'not-active',
    message: 'CUS-2025-0042 has not expired yet.',
  },
  {
    what: 'remind before the reminder time',
    input: () => requestIn('pending'),
    act: (request) => reminded(request, (request.reminderAt as number) - 1),
    code: 'not-pending',
  },
  {
    what: 'remind a second time',
    input: () => nextOf(reminded(requestIn('pending'), requestIn('pending').reminderAt as number)),
    act: (request) => reminded(request, request.pendingExpiresAt - 1),
    code: 'not-pending',
  },
  // Who may approve.
  {
    what: 'the requester approves their own request, even holding the role',
    input: () => requestIn('pending'),
    act: (request) => approve(request, actor(people.requester, 'security', 'hr'), NOW),
    code: 'separation-of-duties',
    message: 'Separation of duties: you requested CUS-2025-0042, so you cannot approve it; someone else must.',
  },
  {
    what: 'the mailbox owner approves access to their mailbox, even holding the role',
    input: () => requestIn('pending'),
    act: (request) => approve(request, actor(people.owner, 'hr'), NOW),
    code: 'separation-of-duties',
    message: 'Separation of duties: CUS-2025-0042 is about your own mailbox, so you cannot approve it; someone else must.',
  },
  {
    what: 'the same person approves twice, holding both required roles',
    input: () => nextOf(approve(requestIn('pending'), actor(people.security, 'security', 'hr'), TIMES.securityApproved)),
    act: (request) => approve(request, actor(people.security, 'security', 'hr'), NOW),
    code: 'already-approved',
    message: 'You already approved CUS-2025-0042; a different person must give the remaining approval.',
  },
  {
    what: 'someone without a required role approves',
    input: () => requestIn('pending'),
    act: (request) => approve(request, actor(people.dpo, 'dpo', 'admin'), NOW),
    code: 'not-approver',
    message: 'You are not an approver for CUS-2025-0042 (needs: security, hr).',
  },
  {
    what: 'someone with no roles at all approves',
    input: () => requestIn('pending'),
    act: (request) => approve(request, actor(people.outsider), NOW),
    code: 'not-approver',
  },
  {
    what: 'a second security approver approves when one is needed and HR is missing',
    input: securityApproved,
    act: (request) => approve(request, security2Actor, NOW),
    code: 'role-satisfied',
    message: 'The approvals your role can give are complete; CUS-2025-0042 still needs: hr.',
  },
  {
    what: 'an approver of a role the pack makes wait for a step approves before it',
    input: () =>
      requestIn('pending', {
        valid: {
          policy: strictPack({
            approvals: [
              { role: 'security', count: 1, afterSteps: ['employee-heard'] },
              { role: 'hr', count: 1 },
            ],
          }),
        },
      }),
    act: (request) => approve(request, securityActor, NOW),
    code: 'steps-incomplete',
    message: 'The security approval is possible once these steps are done: The employee was given the opportunity to comment.',
  },
  // Who may reject.
  {
    what: 'the requester rejects',
    input: () => requestIn('pending'),
    act: (request) => reject(request, actor(people.requester, 'security'), NOW),
    code: 'separation-of-duties',
  },
  {
    what: 'the mailbox owner rejects',
    input: () => requestIn('pending'),
    act: (request) => reject(request, actor(people.owner, 'security'), NOW),
    code: 'separation-of-duties',
  },
  {
    what: 'someone without a required role rejects',
    input: () => requestIn('pending'),
    act: (request) => reject(request, actor(people.outsider, 'dpo'), NOW),
    code: 'not-approver',
  },
  // Who may cancel and release.
  {
    what: 'an approver cancels the request',
    input: () => requestIn('pending'),
    act: (request) => cancel(request, people.security, NOW),
    code: 'not-requester',
    message: 'Only the requester can cancel CUS-2025-0042.',
  },
  {
    what: 'the mailbox owner cancels the request',
    input: () => requestIn('pending'),
    act: (request) => cancel(request, people.owner, NOW),
    code: 'not-requester',
  },
  {
    what: 'someone other than the requester releases the grant',
    input: activeAt,
    act: (request) => release(request, people.security, NOW),
    code: 'not-requester',
    message: 'Only the requester can release CUS-2025-0042.',
  },
  {
    what: 'the mailbox owner releases the grant',
    input: activeAt,
    act: (request) => release(request, people.owner, NOW),
    code: 'not-requester',
  },
  // Who may attest, and how.
  {
    what: 'the requester attests, even holding the role',
    input: strictPending,
    act: (request) => attest(request, 'employee-heard', actor(people.requester, 'hr'), NOW, 'done'),
    code: 'separation-of-duties',
    message:
      'Separation of duties: you requested CUS-2025-0042, so you cannot record "The employee was given the opportunity to comment" for it; someone else must.',
  },
  {
    what: 'the mailbox owner attests, even holding the role',
    input: strictPending,
    act: (request) => attest(request, 'employee-heard', actor(people.owner, 'hr'), NOW, 'done'),
    code: 'separation-of-duties',
  },
  {
    what: 'someone of the wrong role attests',
    input: strictPending,
    act: (request) => attest(request, 'employee-heard', securityActor, NOW, 'done'),
    code: 'not-allowed',
    message: 'Only the hr role can record "The employee was given the opportunity to comment".',
  },
  {
    what: "'not possible' is attested without a note",
    input: strictPending,
    act: (request) => attest(request, 'employee-heard', hrActor, NOW, 'not-possible'),
    code: 'not-allowed',
    message: 'Say why it was not possible; the employee will be told afterwards.',
  },
  {
    what: "'not possible' is attested with a blank note",
    input: strictPending,
    act: (request) => attest(request, 'employee-heard', hrActor, NOW, 'not-possible', '   '),
    code: 'not-allowed',
  },
  {
    what: 'an unknown step is attested',
    input: strictPending,
    act: (request) => attest(request, 'no-such-step', hrActor, NOW, 'done'),
    code: 'unknown-step',
    message: 'CUS-2025-0042 has no attestation step "no-such-step".',
  },
  {
    what: 'a notify step is attested by hand',
    input: strictPending,
    act: (request) => attest(request, 'notify-hr', hrActor, NOW, 'done'),
    code: 'unknown-step',
  },
  {
    what: 'an attestation is recorded twice',
    input: () => nextOf(attest(strictPending(), 'employee-heard', hrActor, NOW, 'done')),
    act: (request) => attest(request, 'employee-heard', actor(people.hr2, 'hr'), NOW, 'not-possible', 'changed my mind'),
    code: 'step-done',
    message: '"The employee was given the opportunity to comment" was already recorded.',
  },
];

describe('request state machine', () => {
  describe('allowed transitions', () => {
    for (const row of allowed) {
      it(`${row.from} -> ${row.to}: ${row.what}`, () => {
        const input = row.input();
        assert.equal(input.status, row.from, 'fixture status');
        const before = snapshot(input);
        const result = row.act(deepFreeze(input));
        if (!result.ok) assert.fail(`refused: ${result.refusal.code} ${result.refusal.message}`);
        assert.equal(result.next.status, row.to);
        assert.deepEqual(result.next, row.expected(before));
        assert.equal(result.event, row.event);
        assert.deepEqual(result.details, row.details);
        assert.deepEqual(input, before, 'the input is unchanged');
      });
    }

    it('covers every edge of the life cycle', () => {
      const edges = new Set(allowed.map((row) => `${row.from} -> ${row.to}`));
      assert.deepEqual([...edges].sort(), [
        'active -> revoking',
        'granting -> active',
        'granting -> revoking',
        'pending -> cancelled',
        'pending -> expired',
        'pending -> granting',
        'pending -> pending',
        'pending -> rejected',
        'revoking -> grant_failed',
        'revoking -> revoked',
        'revoking -> revoking',
      ]);
    });
  });

  describe('refused transitions', () => {
    for (const row of forbidden) {
      it(`refuses with ${row.code}: ${row.what}`, () => {
        const input = row.input();
        const before = snapshot(input);
        const result = row.act(deepFreeze(input));
        if (result.ok) assert.fail(`allowed: ${result.event} -> ${result.next.status}`);
        assert.equal(result.refusal.code, row.code, result.refusal.message);
        if (row.message !== undefined) assert.equal(result.refusal.message, row.message);
        else assert.ok(result.refusal.message.length > 0, 'a message for the person');
        assert.deepEqual(input, before, 'the input is unchanged');
      });
    }
  });

  describe('before-steps gate the approvals', () => {
    const allBeforeStepsHandled = () => {
      let request = strictPending();
      request = nextOf(attest(request, 'employee-heard', hrActor, NOW, 'done'));
      request = {
        ...request,
        steps: request.steps.map((step) => (step.kind === 'notify' ? { ...step, status: 'done' as const, at: NOW } : step)),
      };
      return request;
    };

    it('allows approval once every before-step is done', () => {
      const result = approve(allBeforeStepsHandled(), securityActor, NOW);
      assert.equal(result.ok, true);
    });

    it('allows approval when a notice was waived instead of done', () => {
      const request = requestIn('pending', { valid: { policy: strictPack(), noticeWithheldReason: 'Would alert the suspect.' } });
      let handled = nextOf(attest(request, 'employee-heard', hrActor, NOW, 'not-possible', 'Employee on leave'));
      handled = { ...handled, steps: handled.steps.map((step) => (step.id === 'notify-hr' ? { ...step, status: 'done' as const } : step)) };
      assert.deepEqual(
        handled.steps.map((step) => `${step.id}:${step.status}`),
        ['notify-hr:done', 'notify-employee:waived', 'employee-heard:waived', 'after-access-notice:pending'],
      );
      assert.equal(approve(handled, securityActor, NOW).ok, true);
    });

    it('records every approval before the steps and grants on the last step, whichever outcome it records', () => {
      for (const outcome of ['done', 'not-possible'] as const) {
        let request = strictPending();
        request = {
          ...request,
          steps: request.steps.map((step) => (step.kind === 'notify' ? { ...step, status: 'done' as const } : step)),
        };
        const first = approve(request, securityActor, NOW);
        assert.equal(first.ok && first.event, 'request.approval-recorded');
        const second = approve(nextOf(first), hrActor, NOW + MINUTE);
        assert.equal(second.ok && second.event, 'request.approval-recorded', 'all approvals in, a step still open');
        assert.equal(nextOf(second).status, 'pending');
        const last = attest(nextOf(second), 'employee-heard', actor(people.hr2, 'hr'), NOW + 2 * MINUTE, outcome, 'on leave');
        assert.equal(last.ok && last.event, 'step.attested');
        assert.equal(nextOf(last).status, 'granting', outcome);
        assert.equal(nextOf(last).dueAt, NOW + 2 * MINUTE);
        assert.deepEqual(last.ok && last.details, { step: 'employee-heard', outcome, note: 'on leave', approved: true });
      }
    });

    it('stays pending with every approval while one before-step failed', () => {
      const request = allBeforeStepsHandled();
      const oneLeft = {
        ...request,
        steps: request.steps.map((step) => (step.id === 'notify-hr' ? { ...step, status: 'failed' as const } : step)),
      };
      const both = nextOf(approve(nextOf(approve(oneLeft, securityActor, NOW)), hrActor, NOW));
      assert.equal(both.status, 'pending');
      assert.equal(both.approvals.length, 2);
    });

    it('lets a role that waits for steps approve once they are recorded', () => {
      const policy = strictPack({
        approvals: [
          { role: 'security', count: 1, afterSteps: ['employee-heard'] },
          { role: 'hr', count: 1 },
        ],
      });
      const request = requestIn('pending', { valid: { policy } });
      assert.deepEqual(request.requiredApprovals[0], { role: 'security', count: 1, afterSteps: ['employee-heard'] });
      assert.equal(approve(request, securityActor, NOW).ok, false);
      const heard = nextOf(attest(request, 'employee-heard', hrActor, NOW, 'done'));
      assert.equal(approve(heard, securityActor, NOW).ok, true);
    });

    it('does not wait for after-access steps', () => {
      const request = allBeforeStepsHandled();
      assert.equal(request.steps.find((step) => step.kind === 'after-access-notice')?.status, 'pending');
      assert.equal(approve(request, securityActor, NOW).ok, true);
    });
  });
});
