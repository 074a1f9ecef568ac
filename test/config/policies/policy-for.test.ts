import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPolicies } from '../../../src/config/policies/load-policies';
import { policyFor } from '../../../src/domain/policy';
import { FIXTURES } from './expect-policy-error';

describe('policyFor with loaded packs', () => {
  const withFallback = () => loadPolicies(join(FIXTURES, 'templates.yaml'));
  const withoutFallback = () => loadPolicies(join(FIXTURES, 'minimal.yaml'));

  it('returns the pack of a listed code, whatever its case and spacing', () => {
    const policies = withFallback();
    assert.equal(policyFor(policies, 'SE'), policies.jurisdictions.SE);
    assert.equal(policyFor(policies, ' dk ')?.name, 'Denmark');
  });

  it('applies the fallback pack to a two-letter code without a pack, under that code', () => {
    const policies = withFallback();
    const fi = policyFor(policies, 'fi');
    assert.ok(fi);
    assert.equal(fi.code, 'FI');
    assert.equal(fi.name, 'FI (Other countries)');
    assert.equal(fi.maxDurationMinutes, policies.jurisdictions.GLOBAL.maxDurationMinutes);
    assert.equal(policies.jurisdictions.GLOBAL.code, 'GLOBAL', 'the fallback pack itself is unchanged');
  });

  it('does not apply the fallback to codes that are not two letters', () => {
    const policies = withFallback();
    assert.equal(policyFor(policies, 'XYZ'), undefined);
    assert.equal(policyFor(policies, ''), undefined);
    assert.equal(policyFor(policies, 'S1'), undefined);
  });

  it('returns nothing for an unknown code when no fallback is configured', () => {
    const policies = withoutFallback();
    assert.equal(policies.fallback, undefined);
    assert.equal(policyFor(policies, 'SE'), undefined);
    assert.ok(policyFor(policies, 'global'));
  });
});
