import assert from 'node:assert/strict';
import { approve, attest } from '../../../src/domain/approval-rules';
import { rightsFor, sharedRights } from '../../../src/app/requests/viewer-rights';
import { requestExtension } from '../../../src/domain/extension';
import { T0, actor, nextOf, people, requestIn, strictPack } from '../../support/requests';

const strictPending = () => requestIn('pending', { valid: { policy: strictPack() } });

describe('rightsFor', () => {
  const cases: [string, () => ReturnType<typeof requestIn>, keyof typeof people, string[], ReturnType<typeof rightsFor>][] = [
    [
      'the requester of a pending request',
      strictPending,
      'requester',
      [],
      { canDecide: false, canCancel: true, canRelease: true, attestStepIds: [] },
    ],
    [
      'the requester holding the attesting role',
      strictPending,
      'requester',
      ['hr', 'security'],
      { canDecide: false, canCancel: true, canRelease: true, attestStepIds: [] },
    ],
    [
      'the mailbox owner holding the attesting role',
      strictPending,
      'owner',
      ['hr'],
      { canDecide: false, canCancel: false, canRelease: false, attestStepIds: [] },
    ],
    [
      'an HR approver of a pending request',
      strictPending,
      'hr',
      ['hr'],
      { canDecide: true, canCancel: false, canRelease: false, attestStepIds: ['employee-heard'] },
    ],
    [
      'a security approver of a pending request',
      strictPending,
      'security',
      ['security'],
      { canDecide: true, canCancel: false, canRelease: true, attestStepIds: [] },
    ],
    ['someone without a role', strictPending, 'outsider', [], { canDecide: false, canCancel: false, canRelease: false, attestStepIds: [] }],
    [
      'an HR approver once the attestation is recorded',
      () => nextOf(attest(strictPending(), 'employee-heard', actor(people.hr, 'hr'), T0, 'done')),
      'hr2',
      ['hr'],
      { canDecide: true, canCancel: false, canRelease: false, attestStepIds: [] },
    ],
    [
      'a security approver who already approved',
      () => nextOf(approve(requestIn('pending'), actor(people.security, 'security'), T0)),
      'security',
      ['security'],
      { canDecide: false, canCancel: false, canRelease: true, attestStepIds: [] },
    ],
    [
      'an HR approver of an active request',
      () =>
        requestIn('active', {
          valid: { policy: strictPack({ steps: strictPack().steps.filter((step) => step.kind !== 'notify' && step.kind !== 'attest') }) },
        }),
      'hr2',
      ['hr'],
      { canDecide: false, canCancel: false, canRelease: false, attestStepIds: [] },
    ],
  ];
  for (const [who, request, personKey, roles, rights] of cases) {
    it(`gives ${who}: ${JSON.stringify(rights)}`, () => {
      assert.deepEqual(rightsFor(request(), people[personKey], roles), rights);
    });
  }

  it('offers attestation steps without a role to anyone but the requester and the owner', () => {
    const request = requestIn('pending', {
      valid: {
        policy: strictPack({
          steps: [
            { id: 'briefed', kind: 'attest', label: 'Briefed' },
            { id: 'hr-ok', kind: 'attest', target: 'hr', label: 'HR ok' },
          ],
        }),
      },
    });
    assert.deepEqual(rightsFor(request, people.outsider, []).attestStepIds, ['briefed']);
    assert.deepEqual(rightsFor(request, people.hr, ['hr']).attestStepIds, ['briefed', 'hr-ok']);
    assert.deepEqual(rightsFor(request, people.owner, ['hr']).attestStepIds, []);
  });

  it('offers the requester of an active grant to extend it, and its approvers, never the owner, to decide an extension', () => {
    const active = requestIn('active');
    assert.equal(rightsFor(active, people.requester, []).canExtend, true);
    assert.equal(rightsFor(active, people.security, ['security']).canExtend, undefined);
    assert.equal(rightsFor(requestIn('revoked'), people.requester, []).canExtend, undefined);
    const waiting = nextOf(
      requestExtension(
        active,
        people.requester,
        active.grantedAt! + 1,
        { minutes: 30, reason: 'x' },
        { allowed: true, maxTotalMinutes: 480 },
        'TS',
      ),
    );
    assert.equal(rightsFor(waiting, people.requester, ['security']).canExtend, undefined, 'one extension waits at a time');
    assert.equal(rightsFor(waiting, people.requester, ['security']).canDecideExtension, undefined);
    assert.equal(rightsFor(waiting, people.owner, ['security']).canDecideExtension, undefined);
    assert.equal(rightsFor(waiting, people.security, ['security']).canDecideExtension, true);
    assert.equal(sharedRights(waiting, 'approval').canDecideExtension, true);
    assert.equal(sharedRights(active, 'approval').canDecideExtension, undefined);
    assert.equal(sharedRights(active, 'status').canExtend, true);
  });

  it('offers no attestation once the request is no longer pending', () => {
    const rejected = { ...strictPending(), status: 'rejected' as const };
    assert.deepEqual(rightsFor(rejected, people.hr, ['hr']).attestStepIds, []);
  });
});

describe('sharedRights', () => {
  it('shows cancel and release on the shared status card, and nothing to decide', () => {
    assert.deepEqual(sharedRights(strictPending(), 'status'), { canDecide: false, canCancel: true, canRelease: true, attestStepIds: [] });
  });

  it('shows the decision and every pending attestation on the shared approval card', () => {
    assert.deepEqual(sharedRights(strictPending(), 'approval'), {
      canDecide: true,
      canCancel: false,
      canRelease: false,
      attestStepIds: ['employee-heard'],
    });
  });

  it('drops attestations already recorded', () => {
    const attested = nextOf(attest(strictPending(), 'employee-heard', actor(people.hr, 'hr'), T0, 'done'));
    assert.deepEqual(sharedRights(attested, 'approval').attestStepIds, []);
  });
});
