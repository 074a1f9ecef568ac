import assert from 'node:assert/strict';
import { AuditLog } from '../../src/audit/audit-log';
import { verifyChain } from '../../src/audit/verify';
import { ManualClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import type { OpenedBackend } from './helpers/backend';
import { appendSamples } from './helpers/chain';
import { sqliteBackend } from './helpers/sqlite-backend';

// SQLite keeps the row key apart from the record body, so rows can be moved
// without touching what they contain; MongoDB has no such separate position.
describe('verifyChain on SQLite rows moved without editing them', () => {
  let opened: OpenedBackend;

  beforeEach(async () => {
    opened = await sqliteBackend.open();
    const clock = new ManualClock();
    await appendSamples(new AuditLog(opened.store, clock, silentLogger), clock, 8);
  });

  afterEach(async () => {
    await opened.cleanup();
  });

  it('names the position where two rows were swapped', async () => {
    const { raw, store } = opened;
    const [four, five] = [await raw.get(4), await raw.get(5)];
    await raw.put(4, five);
    await raw.put(5, four);
    const result = await verifyChain(store);
    assert.deepEqual(result, { ok: false, seq: 4, problem: 'reordered', message: 'Records are out of order: record 5 is stored where record 4 belongs.' });
  });

  it('names a record stored twice', async () => {
    const { raw, store } = opened;
    await raw.put(5, await raw.get(4));
    const result = await verifyChain(store);
    assert.deepEqual(result, { ok: false, seq: 4, problem: 'duplicate', message: 'Record 4 appears twice.' });
  });
});
