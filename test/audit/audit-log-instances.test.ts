import assert from 'node:assert/strict';
import { AuditLog } from '../../src/audit/audit-log';
import { verifyChain } from '../../src/audit/verify';
import { ManualClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import type { Store } from '../../src/store/store';
import { auditBackends } from './helpers/backends';
import type { OpenedBackend } from './helpers/backend';
import { overrideStore } from './helpers/chain';

for (const backend of auditBackends()) {
  describe(`AuditLog instances sharing one ${backend.name} database`, () => {
    let opened: OpenedBackend;

    before(async function () {
      await backend.setUp(this);
    });

    beforeEach(async () => {
      opened = await backend.open();
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    it('appending at the same time, they build one unbroken chain without duplicate seqs', async () => {
      let conflicts = 0;
      const counting = (s: Store) =>
        overrideStore(s, {
          appendAuditBatch: async (events) => {
            const stored = await s.appendAuditBatch(events);
            if (stored < events.length) conflicts++;
            return stored;
          },
        });
      const clock = new ManualClock();
      const a = new AuditLog(counting(opened.store), clock, silentLogger);
      const b = new AuditLog(counting(await opened.connectAgain()), clock, silentLogger);
      await Promise.all([
        ...Array.from({ length: 25 }, (_, i) => a.append({ type: 'from.a', actor: { aadObjectId: 'a' }, details: { i } })),
        ...Array.from({ length: 25 }, (_, i) => b.append({ type: 'from.b', actor: { aadObjectId: 'b' }, details: { i } })),
      ]);

      const all = await opened.store.listAudit({});
      assert.deepEqual(
        all.map((e) => e.seq),
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      assert.equal(all.filter((e) => e.type === 'from.a').length, 25);
      assert.ok(conflicts > 0, 'the instances should have collided at least once, or this test proves nothing');
      assert.deepEqual(await verifyChain(opened.store), { ok: true, count: 50, headSeq: 50 });
    });
  });
}
