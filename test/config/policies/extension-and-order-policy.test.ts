import assert from 'node:assert/strict';
import { parsePolicies } from '../../../src/config/policies/load-policies';
import { assertSingleProblem, minimalWith, policyError } from './expect-policy-error';

const ATTEST = { id: 'heard', kind: 'attest', target: 'security', label: 'Employee heard' };

describe('extensions and "approve only after steps" in the policy file', () => {
  it('reads extensions with their limit and approvers; the limit defaults to maxDuration', () => {
    const own = parsePolicies(
      minimalWith((file) => {
        file.jurisdictions.GLOBAL.extensions = { allowed: true, maxTotalDuration: '12h', approvals: [{ role: 'security', count: 1 }] };
      }),
      'ext.yaml',
    );
    assert.deepEqual(own.jurisdictions.GLOBAL.extensions, {
      allowed: true,
      maxTotalMinutes: 720,
      approvals: [{ role: 'security', count: 1 }],
    });
    const defaulted = parsePolicies(
      minimalWith((file) => {
        file.jurisdictions.GLOBAL.extensions = { allowed: true };
      }),
      'ext.yaml',
    );
    assert.deepEqual(defaulted.jurisdictions.GLOBAL.extensions, { allowed: true, maxTotalMinutes: 480 });
  });

  it('names a limit over 30d, an unknown approving role and a missing "allowed"', () => {
    assertSingleProblem(
      policyError(() =>
        parsePolicies(
          minimalWith((file) => {
            file.jurisdictions.GLOBAL.extensions = { allowed: true, maxTotalDuration: '31d' };
          }),
          'ext.yaml',
        ),
      ),
      'extensions.maxTotalDuration',
      'expected at most 30d',
    );
    assertSingleProblem(
      policyError(() =>
        parsePolicies(
          minimalWith((file) => {
            file.jurisdictions.GLOBAL.extensions = { allowed: true, approvals: [{ role: 'hrr', count: 1 }] };
          }),
          'ext.yaml',
        ),
      ),
      'extensions.approvals[0].role',
      'found "hrr"',
    );
    assertSingleProblem(
      policyError(() =>
        parsePolicies(
          minimalWith((file) => {
            file.jurisdictions.GLOBAL.extensions = { maxTotalDuration: '8h' };
          }),
          'ext.yaml',
        ),
      ),
      'extensions.allowed',
      'true or false',
    );
  });

  it("keeps a role's afterSteps and refuses one naming no step of the pack", () => {
    const policies = parsePolicies(
      minimalWith((file) => {
        file.jurisdictions.GLOBAL.steps = [ATTEST];
        file.jurisdictions.GLOBAL.approvals = [{ role: 'security', count: 1, afterSteps: ['heard'] }];
      }),
      'order.yaml',
    );
    assert.deepEqual(policies.jurisdictions.GLOBAL.approvals, [{ role: 'security', count: 1, afterSteps: ['heard'] }]);
    assertSingleProblem(
      policyError(() =>
        parsePolicies(
          minimalWith((file) => {
            file.jurisdictions.GLOBAL.steps = [ATTEST];
            file.jurisdictions.GLOBAL.approvals = [{ role: 'security', count: 1, afterSteps: ['herd'] }];
          }),
          'order.yaml',
        ),
      ),
      'approvals[0].afterSteps[0]',
      'expected the id of a notify or attest step of this pack (heard), found "herd"',
    );
  });
});
