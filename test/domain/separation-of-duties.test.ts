import assert from 'node:assert/strict';
import { approve, attest, reject, type Actor } from '../../src/domain/approval-rules';
import { requestParties, separationOfDuties, type Party } from '../../src/domain/separation-of-duties';
import { MINUTE, T0, actor, nextOf, people, requestIn, strictPack } from '../support/requests';

const NOW = T0 + 30 * MINUTE;

describe('separation of duties', () => {
  const granted = requestIn('active');
  const reviewParties = requestParties(granted, { approvers: true });

  it('refuses the requester, the grantee, the mailbox owner and an approver, each named in plain words', () => {
    const cases: [string, RegExp][] = [
      [people.requester.aadObjectId, /you requested CUS-2025-0042/],
      [people.owner.aadObjectId, /CUS-2025-0042 is about your own mailbox/],
      [people.security.aadObjectId, /you approved CUS-2025-0042/],
      [people.hr.aadObjectId, /you approved CUS-2025-0042/],
    ];
    for (const [aadObjectId, words] of cases) {
      const refusal = separationOfDuties({ aadObjectId }, granted.id, reviewParties, 'review');
      assert.equal(refusal?.code, 'separation-of-duties', aadObjectId);
      assert.match(refusal.message, /^Separation of duties: /);
      assert.match(refusal.message, words);
      assert.match(refusal.message, /so you cannot review it; someone else must\.$/);
    }
  });

  it('lets someone who plays no part judge', () => {
    assert.equal(separationOfDuties({ aadObjectId: people.security2.aadObjectId }, granted.id, reviewParties, 'review'), null);
    assert.equal(separationOfDuties({ aadObjectId: people.dpo.aadObjectId }, granted.id, reviewParties, 'review'), null);
  });

  it('counts approvers only where the matter names them (reviews), not for the request itself', () => {
    const parties = requestParties(granted);
    assert.equal(separationOfDuties({ aadObjectId: people.security.aadObjectId }, granted.id, parties, 'approve'), null);
  });

  it('matches parties known only by address against the judge’s addresses, ignoring case', () => {
    const parties: Party[] = [
      { part: 'grantee', address: 'Johanna@Contoso.com' },
      { part: 'mailbox-owner', address: 'isaiah@contoso.com' },
    ];
    const grantee = separationOfDuties({ aadObjectId: 'u-j', addresses: ['johanna@contoso.com'] }, 'DRF-1', parties, 'allow');
    assert.equal(grantee?.part, 'grantee');
    assert.match(grantee.message, /you hold the access DRF-1 is about, so you cannot allow it/);
    const owner = separationOfDuties({ aadObjectId: 'u-i', addresses: ['ISAIAH@contoso.com'] }, 'DRF-1', parties, 'allow');
    assert.equal(owner?.part, 'mailbox-owner');
    assert.equal(separationOfDuties({ aadObjectId: 'u-m', addresses: ['megan@contoso.com'] }, 'DRF-1', parties, 'allow'), null);
    // Without addresses nothing can match by address; callers that need it look the addresses up first.
    assert.equal(separationOfDuties({ aadObjectId: 'u-j' }, 'DRF-1', parties, 'allow'), null);
  });

  it('refuses managers the policy adds, and fails closed on an empty identity', () => {
    const also: Party[] = [
      { part: 'requester-manager', aadObjectId: 'u-boss' },
      { part: 'owner-manager', aadObjectId: 'u-owner-boss' },
    ];
    const parties = requestParties(granted, { also });
    assert.match(
      separationOfDuties({ aadObjectId: 'u-boss' }, granted.id, parties, 'approve')?.message ?? '',
      /manager of the person who requested/,
    );
    assert.match(
      separationOfDuties({ aadObjectId: 'u-owner-boss' }, granted.id, parties, 'approve')?.message ?? '',
      /manager of the owner/,
    );
    assert.equal(separationOfDuties({ aadObjectId: '' }, granted.id, parties, 'approve')?.code, 'separation-of-duties');
  });

  describe('in the approval rules', () => {
    const withManagers = (who: Actor): Actor => ({
      ...who,
      alsoRefused: [{ part: 'requester-manager', aadObjectId: people.security.aadObjectId }],
    });

    it('refuses approve, reject and attest by a requester’s manager the policy names, and lets another approver approve', () => {
      const pending = requestIn('pending');
      const manager = withManagers(actor(people.security, 'security'));
      for (const transition of [approve(pending, manager, NOW), reject(pending, manager, NOW)]) {
        assert.equal(transition.ok, false);
        if (!transition.ok) assert.match(transition.refusal.message, /manager of the person who requested/);
      }
      const other = withManagers(actor(people.security2, 'security'));
      assert.equal(nextOf(approve(pending, other, NOW)).approvals[0].approver.aadObjectId, people.security2.aadObjectId);
    });

    it('refuses an attestation by the mailbox owner and records one by another holder of the role', () => {
      const strict = requestIn('pending', { valid: { policy: strictPack() } });
      const byOwner = attest(strict, 'employee-heard', actor(people.owner, 'hr'), NOW, 'done');
      assert.equal(byOwner.ok ? 'moved' : byOwner.refusal.code, 'separation-of-duties');
      const byHr = nextOf(attest(strict, 'employee-heard', actor(people.hr, 'hr'), NOW, 'done'));
      assert.equal(byHr.steps.find((step) => step.id === 'employee-heard')?.status, 'done');
    });
  });
});
