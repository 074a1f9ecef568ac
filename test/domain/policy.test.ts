import assert from 'node:assert/strict';
import { jurisdictionCodes, policyFor, ticketMatches } from '../../src/domain/policy';
import { deepFreeze, policySet, shippedPolicies, simplePack, strictPack } from '../support/requests';

describe('jurisdictionCodes', () => {
  it('lists the configured codes in alphabetical order', () => {
    const policies = policySet([simplePack({ code: 'NO' }), simplePack({ code: 'EU' }), simplePack({ code: 'GLOBAL' })]);
    assert.deepEqual(jurisdictionCodes(policies), ['EU', 'GLOBAL', 'NO']);
  });
});

describe('policyFor', () => {
  const no = strictPack({ code: 'NO', name: 'Norway' });
  const global = simplePack({ code: 'GLOBAL', name: 'Other countries' });

  it('finds a configured pack whatever the case and spacing of the code', () => {
    const policies = policySet([no, global]);
    for (const code of ['NO', 'no', ' No ', '\tNO\n']) assert.equal(policyFor(policies, code), no, JSON.stringify(code));
  });

  it('returns undefined for an unknown code when no fallback is configured', () => {
    const policies = policySet([no, global]);
    assert.equal(policyFor(policies, 'SE'), undefined);
    assert.equal(policyFor(policies, ''), undefined);
  });

  it('applies the fallback pack to an unlisted two-letter code, under that code', () => {
    const policies = deepFreeze(policySet([no, global], 'GLOBAL'));
    const se = policyFor(policies, 'se');
    assert.deepEqual(se, { ...global, code: 'SE', name: 'SE (Other countries)' });
    assert.equal(policies.jurisdictions.GLOBAL.code, 'GLOBAL');
  });

  it('prefers a listed pack over the fallback', () => {
    assert.equal(policyFor(policySet([no, global], 'GLOBAL'), 'no'), no);
  });

  it('applies the fallback only to two-letter codes', () => {
    const policies = policySet([no, global], 'GLOBAL');
    for (const code of ['SWE', 'S', 'S1', '12', 'S-E', '']) assert.equal(policyFor(policies, code), undefined, JSON.stringify(code));
  });

  it('returns undefined when the configured fallback names no pack', () => {
    assert.equal(policyFor(policySet([no], 'GLOBAL'), 'SE'), undefined);
  });
});

describe('ticketMatches', () => {
  it('requires the whole ticket to match a pattern written without anchors', () => {
    const pack = simplePack({ ticketPattern: 'INC-\\d{3,7}' });
    assert.equal(ticketMatches(pack, 'INC-1234'), true);
    assert.equal(ticketMatches(pack, 'INC-12'), false);
    assert.equal(ticketMatches(pack, 'xINC-1234'), false);
    assert.equal(ticketMatches(pack, 'INC-1234x'), false);
    assert.equal(ticketMatches(pack, 'INC-12345678'), false);
    assert.equal(ticketMatches(pack, 'see INC-1234 please'), false);
  });

  it('anchors every branch of an alternation, not only the first and last', () => {
    const pack = simplePack({ ticketPattern: 'INC-\\d+|HR-\\d+' });
    assert.equal(ticketMatches(pack, 'INC-1'), true);
    assert.equal(ticketMatches(pack, 'HR-1'), true);
    assert.equal(ticketMatches(pack, 'INC-1 HR-1'), false);
    assert.equal(ticketMatches(pack, 'INC-1x'), false);
    assert.equal(ticketMatches(pack, 'xHR-1'), false);
  });

  it('accepts patterns that carry their own ^ and $', () => {
    const pack = simplePack({ ticketPattern: '^(INC|HR)-\\d{3,7}$' });
    assert.equal(ticketMatches(pack, 'HR-123'), true);
    assert.equal(ticketMatches(pack, 'HR-12'), false);
    assert.equal(ticketMatches(pack, 'CHG-123'), false);
  });

  it('matches every shipped pack against its own example and refuses surrounding text', () => {
    const policies = shippedPolicies();
    for (const pack of Object.values(policies.jurisdictions)) {
      assert.equal(ticketMatches(pack, pack.ticketExample), true, `${pack.code} example ${pack.ticketExample}`);
      assert.equal(ticketMatches(pack, `${pack.ticketExample} `), false, `${pack.code} trailing space`);
      assert.equal(ticketMatches(pack, `x${pack.ticketExample}`), false, `${pack.code} leading text`);
    }
  });
});
