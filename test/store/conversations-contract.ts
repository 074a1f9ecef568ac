import assert from 'node:assert/strict';
import type { ConversationStore } from '../../src/store/store';
import { AWKWARD } from './awkward-keys';
import { T0 } from './fixtures';

/** Conversation references by purpose. Called from the store contract, which hands over a fresh, empty store per test. */
export function conversationsContract(current: () => ConversationStore): void {
  describe('conversations', function () {
    it('stores, replaces and reads conversation references, including awkward keys', async function () {
      const store = current();
      assert.equal(await store.getConversation('approvals'), null);
      const first = { key: 'approvals', reference: { conversation: { id: '19:abc@thread.tacv2' }, ...AWKWARD }, registeredAt: T0 };
      await store.putConversation(first);
      assert.deepEqual(await store.getConversation('approvals'), first);
      const second = { key: 'approvals', reference: { conversation: { id: '19:def' } }, registeredBy: 'aad-1', registeredAt: T0 + 1 };
      await store.putConversation(second);
      assert.deepEqual(await store.getConversation('approvals'), second);
    });

    it('lets concurrent registrations of one key end with one of them', async function () {
      const store = current();
      const records = Array.from({ length: 8 }, (_, i) => ({ key: 'security', reference: { n: i }, registeredAt: T0 + i }));
      await Promise.all(records.map((r) => store.putConversation(r)));
      const got = await store.getConversation('security');
      assert.ok(records.some((r) => JSON.stringify(r) === JSON.stringify(got)));
    });
  });
}
