import assert from 'node:assert/strict';
import {
  approve,
  attest,
  canStillApprove,
  ensureAfterAccessNotice,
  missingApprovals,
  reject,
  unfinishedBeforeSteps,
} from '../../src/domain/approval-rules';
import { HOUR, MINUTE, T0, TIMES, actor, deepFreeze, nextOf, people, requestIn, simplePack, strictPack } from '../support/requests';

const NOW = T0 + 30 * MINUTE;
const security = actor(people.security, 'security');
const hr = actor(people.hr, 'hr');

describe('missingApprovals', () => {
  it('lists one entry per approval still missing, in the order of the requirements', () => {
    const request = requestIn('pending', { extraApprovals: [{ role: 'security', count: 1 }] });
    assert.deepEqual(missingApprovals(request), ['security', 'security', 'hr']);
    const once = nextOf(approve(request, security, NOW));
    assert.deepEqual(missingApprovals(once), ['security', 'hr']);
  });

  it('is empty once every requirement is met', () => {
    assert.deepEqual(missingApprovals(requestIn('granting')), []);
  });
});

describe('approve', () => {
  it('needs two different security people when a conflict of interest adds one', () => {
    let request = requestIn('pending', { extraApprovals: [{ role: 'security', count: 1 }] });
    request = nextOf(approve(request, security, NOW));
    request = nextOf(approve(request, actor(people.security2, 'security'), NOW + MINUTE));
    assert.equal(request.status, 'pending');
    request = nextOf(approve(request, hr, NOW + 2 * MINUTE));
    assert.equal(request.status, 'granting');
    assert.deepEqual(
      request.approvals.map((approval) => `${approval.role}:${approval.approver.aadObjectId}`),
      ['security:u-security-1', 'security:u-security-2', 'hr:u-hr-1'],
    );
  });

  it('records a person holding several roles under the first role still missing', () => {
    const result = approve(requestIn('pending'), actor(people.security, 'hr', 'security'), NOW);
    assert.equal(result.ok && result.next.approvals[0].role, 'security');
  });

  it('records the role that is still missing when the person holds a satisfied one too', () => {
    const securityDone = nextOf(approve(requestIn('pending'), security, NOW));
    const result = approve(securityDone, actor(people.security2, 'security', 'hr'), NOW + MINUTE);
    assert.equal(result.ok && result.next.status, 'granting');
    assert.equal(result.ok && result.next.approvals[1].role, 'hr');
  });

  it('keeps the expiry due once the reminder was sent', () => {
    const request = { ...requestIn('pending'), remindedAt: T0 + 20 * HOUR };
    const result = approve(request, security, T0 + 21 * HOUR);
    assert.equal(result.ok && result.next.dueAt, request.pendingExpiresAt);
  });

  it('grants on a single approval when the pack needs only one', () => {
    const request = requestIn('pending', { valid: { policy: simplePack({ approvals: [{ role: 'security', count: 1 }] }) } });
    const result = approve(request, security, NOW);
    assert.equal(result.ok && result.next.status, 'granting');
  });
});

describe('canStillApprove', () => {
  it('answers for each kind of viewer', () => {
    const request = nextOf(approve(requestIn('pending'), security, TIMES.securityApproved));
    assert.equal(canStillApprove(request, hr), true);
    assert.equal(canStillApprove(request, security), false, 'already approved');
    assert.equal(canStillApprove(request, actor(people.security2, 'security')), false, 'role satisfied');
    assert.equal(canStillApprove(request, actor(people.requester, 'hr')), false, 'requester');
    assert.equal(canStillApprove(request, actor(people.owner, 'hr')), false, 'mailbox owner');
    assert.equal(canStillApprove(request, actor(people.outsider)), false, 'no role');
    assert.equal(canStillApprove(requestIn('active'), hr), false, 'not pending');
  });

  it('does not consider unfinished steps (approvers still see the card and the blocking steps)', () => {
    assert.equal(canStillApprove(requestIn('pending', { valid: { policy: strictPack() } }), security), true);
  });
});

describe('reject', () => {
  it('may come from an approver who already approved', () => {
    const request = nextOf(approve(requestIn('pending'), security, NOW));
    const result = reject(request, security, NOW + MINUTE, 'Second thoughts');
    assert.equal(result.ok && result.next.status, 'rejected');
  });

  it('may come from an approver whose role is already satisfied', () => {
    const request = nextOf(approve(requestIn('pending'), security, NOW));
    const result = reject(request, actor(people.security2, 'security'), NOW + MINUTE);
    assert.equal(result.ok && result.next.status, 'rejected');
    assert.deepEqual(result.ok && result.next.decision, { by: people.security2, at: NOW + MINUTE, comment: undefined });
  });

  it('does not wait for before-steps', () => {
    const result = reject(requestIn('pending', { valid: { policy: strictPack() } }), hr, NOW);
    assert.equal(result.ok && result.next.status, 'rejected');
  });
});

describe('attest', () => {
  const strictPending = () => requestIn('pending', { valid: { policy: strictPack() } });

  it("records 'not possible' as waived with the note, flags the missing advance notice and keeps one after-access notice", () => {
    const request = deepFreeze(strictPending());
    const result = attest(request, 'employee-heard', hr, NOW, 'not-possible', 'Employee on sick leave');
    if (!result.ok) assert.fail(result.refusal.message);
    assert.deepEqual(
      result.next.steps.find((step) => step.id === 'employee-heard'),
      {
        id: 'employee-heard',
        kind: 'attest',
        label: 'The employee was given the opportunity to comment',
        target: 'hr',
        phase: 'before',
        status: 'waived',
        by: people.hr,
        at: NOW,
        note: 'Employee on sick leave',
      },
    );
    assert.deepEqual(result.next.flags, { advanceNoticeWithheld: true });
    assert.equal(result.next.steps.filter((step) => step.kind === 'after-access-notice').length, 1);
    assert.deepEqual(result.details, { step: 'employee-heard', outcome: 'not-possible', note: 'Employee on sick leave' });
  });

  it("adds the after-access notice on 'not possible' when the pack has none", () => {
    const pack = strictPack({ afterAccessNotice: false, steps: strictPack().steps.filter((step) => step.kind !== 'after-access-notice') });
    const request = requestIn('pending', { valid: { policy: pack } });
    assert.equal(
      request.steps.some((step) => step.kind === 'after-access-notice'),
      false,
    );
    const result = attest(request, 'employee-heard', hr, NOW, 'not-possible', 'Employee unreachable');
    assert.deepEqual(result.ok && result.next.steps.at(-1), {
      id: 'after-access-notice',
      kind: 'after-access-notice',
      label: 'Tell the employee after access ended',
      target: 'employee',
      phase: 'after',
      status: 'pending',
    });
  });

  it("records 'done' without touching the flags or the after-access notice", () => {
    const request = strictPending();
    const result = attest(request, 'employee-heard', hr, NOW, 'done');
    assert.equal(result.ok && result.next.flags, request.flags);
    assert.equal(result.ok && result.next.steps.length, request.steps.length);
  });

  it('lets anyone but the requester and owner attest a step without a role', () => {
    const pack = strictPack({ steps: [{ id: 'briefed', kind: 'attest', label: 'Requester briefed' }] });
    const request = requestIn('pending', { valid: { policy: pack } });
    assert.equal(attest(request, 'briefed', actor(people.outsider), NOW, 'done').ok, true);
    assert.equal(attest(request, 'briefed', actor(people.requester), NOW, 'done').ok, false);
  });
});

describe('unfinishedBeforeSteps', () => {
  it('lists pending and failed before-steps, never after-steps', () => {
    const request = requestIn('pending', { valid: { policy: strictPack() } });
    const steps = request.steps.map((step) =>
      step.id === 'notify-hr'
        ? { ...step, status: 'failed' as const }
        : step.id === 'notify-employee'
          ? { ...step, status: 'done' as const }
          : step,
    );
    assert.deepEqual(
      unfinishedBeforeSteps({ ...request, steps }).map((step) => step.id),
      ['notify-hr', 'employee-heard'],
    );
  });
});

describe('ensureAfterAccessNotice', () => {
  it('returns the same record when the step exists', () => {
    const request = requestIn('pending', { valid: { policy: strictPack() } });
    assert.equal(ensureAfterAccessNotice(request), request);
  });

  it('adds the step once, without changing the input', () => {
    const request = deepFreeze(requestIn('pending'));
    const once = ensureAfterAccessNotice(request);
    assert.equal(request.steps.length, 0);
    assert.deepEqual(
      ensureAfterAccessNotice(once).steps.map((step) => step.id),
      ['after-access-notice'],
    );
  });
});
