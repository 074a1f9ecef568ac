import assert from 'node:assert/strict';
import { REQUEST_ID_PATTERN, formatRequestId, isRequestId, normaliseRequestId, requestCounterName } from '../../src/domain/request-id';

describe('request IDs', () => {
  it('pads the number to at least four digits', () => {
    assert.equal(formatRequestId(2025, 7), 'CUS-2025-0007');
    assert.equal(formatRequestId(2025, 1234), 'CUS-2025-1234');
    assert.equal(formatRequestId(2026, 123456), 'CUS-2026-123456');
  });

  it('formats IDs that it recognises', () => {
    for (const sequence of [1, 42, 9999, 10000, 1_000_000])
      assert.ok(REQUEST_ID_PATTERN.test(formatRequestId(2025, sequence)), `sequence ${sequence}`);
  });

  it('recognises IDs as people type them: any case, surrounding spaces', () => {
    assert.equal(isRequestId('CUS-2025-0042'), true);
    assert.equal(isRequestId('cus-2025-0042'), true);
    assert.equal(isRequestId('  Cus-2025-12345 '), true);
  });

  const notIds = [
    '',
    'CUS-2025-042',
    'CUS-25-0042',
    'REQ-2025-0042',
    'CUS-2025-0042x',
    'CUS 2025 0042',
    'INC-1234',
    'CUS-2025-',
    'xCUS-2025-0042',
  ];
  for (const text of notIds) {
    it(`does not take ${JSON.stringify(text)} for an ID`, () => {
      assert.equal(isRequestId(text), false);
    });
  }

  it('normalises typed IDs to the stored form', () => {
    assert.equal(normaliseRequestId('  cus-2025-0042\t'), 'CUS-2025-0042');
  });

  it('keeps one counter per year so numbering restarts each year', () => {
    assert.equal(requestCounterName(2025), 'request-2025');
    assert.notEqual(requestCounterName(2025), requestCounterName(2026));
  });
});
