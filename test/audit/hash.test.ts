import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../src/domain/types';
import { canonicalize, CanonicalFormError, computeHash, GENESIS_HASH, hashMatches } from '../../src/audit/hash';

function sample(overrides: Partial<AuditEvent> = {}): Omit<AuditEvent, 'hash'> {
  return {
    seq: 1,
    at: Date.UTC(2026, 0, 5, 9, 0, 0),
    type: 'request.created',
    actor: { aadObjectId: 'a-1', name: 'Ada', upn: 'ada@example.com' },
    requestId: 'CUS-2026-0001',
    ticket: 'INC-7',
    mailbox: 'bob@example.com',
    jurisdiction: 'NO',
    details: { access: 'FullAccess', minutes: 60, nested: { b: 2, a: [1, 'x', null] } },
    prevHash: GENESIS_HASH,
    ...overrides,
  };
}

describe('audit hash', () => {
  it('genesis previous hash is 64 zeros', () => {
    assert.equal(GENESIS_HASH, '0000000000000000000000000000000000000000000000000000000000000000');
  });

  it('sorts keys at every level and leaves out undefined', () => {
    assert.equal(canonicalize({ b: 1, a: { d: undefined, c: [true, undefined] } }), '{"a":{"c":[true,null]},"b":1}');
    assert.equal(canonicalize({ z: -0, y: 1e21, x: 0.1 }), '{"x":0.1,"y":1e+21,"z":0}');
  });

  it('rejects values that have no stable JSON form, naming where they are', () => {
    assert.throws(
      () => canonicalize({ details: { n: Number.NaN } }),
      (e: Error) => e instanceof CanonicalFormError && /\$\.details\.n/.test(e.message),
    );
    assert.throws(() => canonicalize({ when: new Date(0) }), /\$\.when is not a plain object/);
    assert.throws(() => canonicalize({ f: () => 1 }), /type function/);
  });

  it('is SHA-256 hex over the canonical content without the hash field', () => {
    const event = sample();
    const expected = createHash('sha256')
      .update(
        '{"actor":{"aadObjectId":"a-1","name":"Ada","upn":"ada@example.com"},"at":1767603600000,' +
          '"details":{"access":"FullAccess","minutes":60,"nested":{"a":[1,"x",null],"b":2}},' +
          `"jurisdiction":"NO","mailbox":"bob@example.com","prevHash":"${GENESIS_HASH}",` +
          '"requestId":"CUS-2026-0001","seq":1,"ticket":"INC-7","type":"request.created"}',
      )
      .digest('hex');
    assert.equal(computeHash(event), expected);
    assert.match(computeHash(event), /^[0-9a-f]{64}$/);
  });

  it('does not depend on key order, absent vs undefined vs null optional fields, or store bookkeeping', () => {
    const event = sample({ requestId: undefined, ticket: undefined });
    const reordered = JSON.parse(
      JSON.stringify({
        details: event.details,
        type: event.type,
        seq: event.seq,
        prevHash: event.prevHash,
        at: event.at,
        mailbox: event.mailbox,
        jurisdiction: event.jurisdiction,
        actor: { upn: 'ada@example.com', name: 'Ada', aadObjectId: 'a-1' },
      }),
    );
    const withNulls = { ...event, requestId: null, ticket: null, _id: 'mongo-object-id' } as unknown as AuditEvent;
    assert.equal(computeHash(reordered), computeHash(event));
    assert.equal(computeHash(withNulls), computeHash(event));
  });

  it('changes when any hashed field changes, including prevHash and seq', () => {
    const base = computeHash(sample());
    const variants: Partial<AuditEvent>[] = [
      { seq: 2 },
      { at: sample().at + 1 },
      { type: 'request.approved' },
      { actor: { aadObjectId: 'a-2', name: 'Ada', upn: 'ada@example.com' } },
      { requestId: 'CUS-2026-0002' },
      { ticket: 'INC-8' },
      { mailbox: 'eve@example.com' },
      { jurisdiction: 'DE' },
      { details: { access: 'ReadFolder', minutes: 60, nested: { b: 2, a: [1, 'x', null] } } },
      { prevHash: 'f'.repeat(64) },
    ];
    for (const variant of variants) {
      assert.notEqual(computeHash(sample(variant)), base, `changing ${Object.keys(variant)[0]} must change the hash`);
    }
  });

  it('hashMatches tells intact from altered records', () => {
    const unsigned = sample();
    const event: AuditEvent = { ...unsigned, hash: computeHash(unsigned) };
    assert.equal(hashMatches(event), true);
    assert.equal(hashMatches({ ...event, ticket: 'INC-9' }), false);
    assert.equal(hashMatches({ ...event, details: { bad: Number.NaN } }), false);
  });
});
