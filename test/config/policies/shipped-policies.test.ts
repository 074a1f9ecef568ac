import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ACCESS_LEVELS } from '../../../src/domain/access-level';
import { loadPolicies } from '../../../src/config/policies/load-policies';
import {
  jurisdictionCodes,
  policyFor,
  ROLE_ADMIN,
  ROLE_SECURITY,
  type JurisdictionPolicy,
  type PolicySet,
} from '../../../src/domain/policy';

const SHIPPED = join(__dirname, '..', '..', '..', 'bot', 'policies.yaml');

function ticketMatches(policy: JurisdictionPolicy, ticket: string): boolean {
  return new RegExp(`^(?:${policy.ticketPattern})$`).test(ticket);
}

describe('shipped policy file bot/policies.yaml', () => {
  let policies: PolicySet;
  before(() => {
    policies = loadPolicies(SHIPPED);
  });

  it('loads with the NO, EU and GLOBAL packs and no fallback', () => {
    assert.deepEqual(jurisdictionCodes(policies), ['EU', 'GLOBAL', 'NO']);
    assert.equal(policies.fallback, undefined);
    assert.equal(policies.source, SHIPPED);
  });

  it('defines admin, security, hr and dpo with the local demo identities', () => {
    assert.deepEqual(Object.keys(policies.roles).sort(), ['admin', 'dpo', 'hr', 'security']);
    assert.deepEqual(policies.roles[ROLE_ADMIN].members, ['a0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000003']);
    assert.deepEqual(policies.roles[ROLE_SECURITY].members, [
      'a0000000-0000-4000-8000-000000000002',
      'a0000000-0000-4000-8000-000000000006',
    ]);
    assert.deepEqual(policies.roles.hr.members, ['a0000000-0000-4000-8000-000000000003']);
    assert.deepEqual(policies.roles.dpo.members, ['a0000000-0000-4000-8000-000000000004']);
  });

  describe('Norway (NO)', () => {
    let no: JurisdictionPolicy;
    before(() => {
      no = policies.jurisdictions.NO;
    });

    it('requires one of the two legal bases of chapter 9', () => {
      assert.deepEqual(
        no.legalBases.map((basis) => basis.id),
        ['operations', 'suspicion'],
      );
      assert.match(no.legalBases[0].label, /daily operations or other legitimate interests/);
      assert.match(no.legalBases[1].label, /gross breach of duty or grounds for dismissal/);
    });

    it('needs one security and one HR approval, and an extra one on a conflict of interest', () => {
      assert.deepEqual(no.approvals, [
        { role: 'security', count: 1 },
        { role: 'hr', count: 1 },
      ]);
      assert.equal(no.conflictOfInterestApprovals, 1);
    });

    it('grants 15m to 8h, 4h by default; pending requests live 24h with a reminder 4h before', () => {
      assert.equal(no.minDurationMinutes, 15);
      assert.equal(no.defaultDurationMinutes, 4 * 60);
      assert.equal(no.maxDurationMinutes, 8 * 60);
      assert.equal(no.pendingTtlMinutes, 24 * 60);
      assert.equal(no.reminderBeforeMinutes, 4 * 60);
    });

    it('accepts INC- and HR- tickets only', () => {
      assert.ok(ticketMatches(no, no.ticketExample));
      assert.ok(ticketMatches(no, 'HR-123'));
      assert.ok(ticketMatches(no, 'INC-1234567'));
      assert.equal(ticketMatches(no, 'INC-12'), false);
      assert.equal(ticketMatches(no, 'CHG-12345'), false);
      assert.equal(ticketMatches(no, 'xINC-12345'), false);
    });

    it('offers all access levels and refuses mailboxes without auditing', () => {
      assert.deepEqual(no.accessLevels, [...ACCESS_LEVELS]);
      assert.equal(no.requireMailboxAudit, true);
    });

    it('notifies HR and the DPO, notifies the employee in advance (withholdable), has an approver attest the hearing, and notifies afterwards', () => {
      const byKind = (kind: string) => no.steps.filter((step) => step.kind === kind);
      assert.deepEqual(
        byKind('notify').map((step) => [step.target, step.withholdable === true]),
        [
          ['hr', false],
          ['dpo', false],
          ['employee', true],
        ],
      );
      const [attest] = byKind('attest');
      assert.ok(attest, 'an attest step');
      assert.ok(
        no.approvals.some((approval) => approval.role === attest.target),
        `attested by an approving role, not ${attest.target}`,
      );
      assert.match(attest.label, /opportunity to comment and to be present with a representative/);
      assert.equal(byKind('after-access-notice').length, 1);
      assert.equal(no.afterAccessNotice, true);
    });
  });

  it('EU: DPO informed at submission, one security approval, at most 24h, no after-access notice', () => {
    const eu = policies.jurisdictions.EU;
    assert.deepEqual(
      eu.steps.map((step) => [step.kind, step.target]),
      [['notify', 'dpo']],
    );
    assert.deepEqual(eu.approvals, [{ role: 'security', count: 1 }]);
    assert.equal(eu.maxDurationMinutes, 24 * 60);
    assert.equal(eu.afterAccessNotice, false);
    assert.deepEqual(eu.legalBases, []);
  });

  it('GLOBAL: one security approval, at most 3 days', () => {
    const global = policies.jurisdictions.GLOBAL;
    assert.deepEqual(global.approvals, [{ role: 'security', count: 1 }]);
    assert.equal(global.maxDurationMinutes, 3 * 24 * 60);
    assert.deepEqual(global.steps, []);
    assert.equal(global.afterAccessNotice, false);
  });

  it('refuses codes without a pack, since no fallback is set', () => {
    assert.equal(policyFor(policies, 'SE'), undefined);
    assert.equal(policyFor(policies, 'no')?.code, 'NO');
  });
});
