import assert from 'node:assert/strict';
import { newRequest, pendingDueAt } from '../../src/domain/new-request';
import type { StepState } from '../../src/domain/types';
import { HOUR, MINUTE, T0, deepFreeze, people, shippedPolicies, simplePack, strictPack, validRequest } from '../support/requests';

const base = { id: 'CUS-2025-0042', requester: people.requester, now: T0 };

describe('newRequest', () => {
  it('builds a pending request carrying everything that was validated', () => {
    const valid = validRequest({ access: 'ReadFolder', folder: 'Projects', legalBasis: 'operations', durationMinutes: 90 });
    const request = newRequest({ ...base, valid });
    assert.deepEqual(request, {
      id: 'CUS-2025-0042',
      version: 0,
      status: 'pending',
      requester: people.requester,
      mailbox: valid.mailbox,
      ticket: 'INC-1234',
      jurisdiction: 'TS',
      access: 'ReadFolder',
      folder: 'Projects',
      durationMinutes: 90,
      justification: valid.justification,
      legalBasis: 'operations',
      noticeWithheldReason: undefined,
      createdAt: T0,
      pendingExpiresAt: T0 + 24 * HOUR,
      reminderAt: T0 + 20 * HOUR,
      requiredApprovals: [
        { role: 'security', count: 1 },
        { role: 'hr', count: 1 },
      ],
      approvals: [],
      flags: {},
      steps: [],
      revokeAttempts: 0,
      grantAttempts: 0,
      dueAt: T0 + 20 * HOUR,
      cards: [],
    });
  });

  it('takes the jurisdiction code from the pack, so a fallback pack is recorded under the requested code', () => {
    const request = newRequest({ ...base, valid: validRequest({ policy: simplePack({ code: 'SE', name: 'SE (Other countries)' }) }) });
    assert.equal(request.jurisdiction, 'SE');
  });

  it('does not change its input', () => {
    const input = deepFreeze({
      ...base,
      valid: validRequest({ policy: strictPack(), noticeWithheldReason: 'Would alert the suspect.' }),
      flags: { conflictOfInterest: 'manager' },
      extraApprovals: [{ role: 'security', count: 1 }],
    });
    const request = newRequest(input);
    assert.notEqual(request.requiredApprovals, input.valid.policy.approvals);
    assert.notEqual(request.flags, input.flags);
  });

  describe('steps', () => {
    it("copies the pack's steps in order, all to do; after-access notices belong after the grant", () => {
      const request = newRequest({ ...base, valid: validRequest({ policy: strictPack() }) });
      assert.deepEqual(request.steps, [
        { id: 'notify-hr', kind: 'notify', label: 'HR informed of the request', target: 'hr', phase: 'before', status: 'pending' },
        {
          id: 'notify-employee',
          kind: 'notify',
          label: 'Employee notified in advance',
          target: 'employee',
          phase: 'before',
          status: 'pending',
        },
        {
          id: 'employee-heard',
          kind: 'attest',
          label: 'The employee was given the opportunity to comment',
          target: 'hr',
          phase: 'before',
          status: 'pending',
        },
        {
          id: 'after-access-notice',
          kind: 'after-access-notice',
          label: 'Employee told afterwards',
          target: undefined,
          phase: 'after',
          status: 'pending',
        },
      ] satisfies StepState[]);
      assert.deepEqual(request.flags, {});
    });

    it('copies the steps of the shipped NO pack', () => {
      const no = shippedPolicies().jurisdictions.NO;
      const request = newRequest({ ...base, valid: validRequest({ policy: no }) });
      assert.deepEqual(
        request.steps.map((step) => `${step.id}:${step.kind}:${step.phase}:${step.status}`),
        [
          'notify-hr:notify:before:pending',
          'notify-dpo:notify:before:pending',
          'notify-employee:notify:before:pending',
          'employee-heard:attest:before:pending',
          'after-access-notice:after-access-notice:after:pending',
        ],
      );
    });

    it('waives a withholdable notice when a reason is given, flags it and keeps the after-access notice', () => {
      const request = newRequest({
        ...base,
        valid: validRequest({ policy: strictPack(), noticeWithheldReason: 'Would alert the suspect.' }),
      });
      const employee = request.steps.find((step) => step.id === 'notify-employee');
      assert.deepEqual(employee, {
        id: 'notify-employee',
        kind: 'notify',
        label: 'Employee notified in advance',
        target: 'employee',
        phase: 'before',
        status: 'waived',
        at: T0,
        by: people.requester,
        note: 'Would alert the suspect.',
      });
      assert.equal(request.flags.advanceNoticeWithheld, true);
      assert.equal(request.noticeWithheldReason, 'Would alert the suspect.');
      assert.deepEqual(
        request.steps.filter((step) => step.kind === 'after-access-notice').map((step) => step.id),
        ['after-access-notice'],
      );
      assert.deepEqual(
        request.steps.filter((step) => step.status === 'waived').map((step) => step.id),
        ['notify-employee'],
        'only the withholdable step is waived',
      );
    });

    it('adds an after-access notice when a notice is withheld under a pack that has none', () => {
      const pack = strictPack({
        afterAccessNotice: false,
        steps: strictPack().steps.filter((step) => step.kind !== 'after-access-notice'),
      });
      const request = newRequest({ ...base, valid: validRequest({ policy: pack, noticeWithheldReason: 'Would alert the suspect.' }) });
      assert.deepEqual(request.steps.at(-1), {
        id: 'after-access-notice',
        kind: 'after-access-notice',
        label: 'Tell the employee after access ended',
        target: 'employee',
        phase: 'after',
        status: 'pending',
      });
    });

    it('adds an after-access notice when the pack asks for one without listing the step', () => {
      const request = newRequest({ ...base, valid: validRequest({ policy: simplePack({ afterAccessNotice: true }) }) });
      assert.deepEqual(
        request.steps.map((step) => step.id),
        ['after-access-notice'],
      );
    });

    it('withholds nothing when the pack has no withholdable step, even with a reason', () => {
      const request = newRequest({
        ...base,
        valid: validRequest({ policy: simplePack(), noticeWithheldReason: 'Would alert the suspect.' }),
      });
      assert.deepEqual(request.steps, []);
      assert.equal(request.flags.advanceNoticeWithheld, undefined);
    });

    it('adds no after-access notice when neither the pack nor a withheld notice calls for it', () => {
      assert.deepEqual(
        newRequest({ ...base, valid: validRequest({ policy: shippedPolicies().jurisdictions.EU }) }).steps.map((step) => step.kind),
        ['notify'],
      );
    });
  });

  describe('required approvals', () => {
    it('adds conflict-of-interest extras to the same role', () => {
      const request = newRequest({ ...base, valid: validRequest(), extraApprovals: [{ role: 'security', count: 1 }] });
      assert.deepEqual(request.requiredApprovals, [
        { role: 'security', count: 2 },
        { role: 'hr', count: 1 },
      ]);
    });

    it('appends extras for a role the pack does not ask for', () => {
      const request = newRequest({ ...base, valid: validRequest(), extraApprovals: [{ role: 'dpo', count: 1 }] });
      assert.deepEqual(request.requiredApprovals, [
        { role: 'security', count: 1 },
        { role: 'hr', count: 1 },
        { role: 'dpo', count: 1 },
      ]);
    });

    it('keeps the flags found at submission', () => {
      const flags = { conflictOfInterest: 'The mailbox owner is the requester’s manager.', mailboxAuditDisabled: true };
      assert.deepEqual(newRequest({ ...base, valid: validRequest(), flags }).flags, flags);
    });
  });

  describe('pending TTL and reminder', () => {
    it('expires after the pack TTL and reminds the given time before', () => {
      const request = newRequest({
        ...base,
        valid: validRequest({ policy: simplePack({ pendingTtlMinutes: 48 * 60, reminderBeforeMinutes: 8 * 60 }) }),
      });
      assert.equal(request.pendingExpiresAt, T0 + 48 * HOUR);
      assert.equal(request.reminderAt, T0 + 40 * HOUR);
      assert.equal(request.dueAt, request.reminderAt);
    });

    it('sets no reminder when the pack has none; the expiry is then due', () => {
      const request = newRequest({ ...base, valid: validRequest({ policy: simplePack({ reminderBeforeMinutes: 0 }) }) });
      assert.equal(request.reminderAt, undefined);
      assert.equal(request.dueAt, T0 + 24 * HOUR);
    });

    it('sets no reminder that would fall at or before submission', () => {
      for (const reminderBeforeMinutes of [60, 90]) {
        const request = newRequest({
          ...base,
          valid: validRequest({ policy: simplePack({ pendingTtlMinutes: 60, reminderBeforeMinutes }) }),
        });
        assert.equal(request.reminderAt, undefined, `reminder ${reminderBeforeMinutes}m before a 60m TTL`);
        assert.equal(request.dueAt, T0 + 60 * MINUTE);
      }
    });
  });
});

describe('pendingDueAt', () => {
  const request = newRequest({ ...base, valid: validRequest() });

  it('is the reminder until it was sent, then the expiry', () => {
    assert.equal(pendingDueAt(request), T0 + 20 * HOUR);
    assert.equal(pendingDueAt({ ...request, remindedAt: T0 + 20 * HOUR }), T0 + 24 * HOUR);
  });

  it('is the expiry when there is no reminder or it would come after the expiry', () => {
    assert.equal(pendingDueAt({ ...request, reminderAt: undefined }), T0 + 24 * HOUR);
    assert.equal(pendingDueAt({ ...request, reminderAt: T0 + 25 * HOUR }), T0 + 24 * HOUR);
  });
});
