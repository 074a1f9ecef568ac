import assert from 'node:assert/strict';
import { parsePolicies } from '../../../src/config/policies/load-policies';
import { minimalWith, policyError } from './expect-policy-error';

describe('separationOfDuties in the policy file', () => {
  it('adds the managers it names, once each', () => {
    const policies = parsePolicies(
      minimalWith((file) => {
        file.separationOfDuties = { alsoRefuse: ['owner-manager', 'requester-manager', 'owner-manager'] };
      }),
      'sod.yaml',
    );
    assert.deepEqual(policies.separationOfDuties, { alsoRefuse: ['owner-manager', 'requester-manager'] });
  });

  it('adds nothing when absent or empty', () => {
    assert.equal(
      parsePolicies(
        minimalWith(() => undefined),
        'sod.yaml',
      ).separationOfDuties,
      undefined,
    );
    const empty = parsePolicies(
      minimalWith((file) => {
        file.separationOfDuties = { alsoRefuse: [] };
      }),
      'sod.yaml',
    );
    assert.equal(empty.separationOfDuties, undefined);
  });

  it('refuses an unknown part and an unknown field, naming what is allowed', () => {
    const error = policyError(() =>
      parsePolicies(
        minimalWith((file) => {
          file.separationOfDuties = { alsoRefuse: ['requester-manager', 'approver-friend'], alsoRefuze: [] };
        }),
        'sod.yaml',
      ),
    );
    assert.equal(error.problems.length, 2, error.message);
    assert.match(error.message, /separationOfDuties.*expected requester-manager or owner-manager, found "approver-friend"/);
    assert.match(error.message, /unknown field "alsoRefuze" \(did you mean "alsoRefuse"\?\)/);
  });
});
