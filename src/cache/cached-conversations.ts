import type { ConversationRecord, Store } from '../store/store';
import type { Clock } from '../shared/clock';
import type { CachePolicies } from './cache-policies';
import { LookupCache } from './lookup-cache';
import { withStoreOverrides } from './store-overrides';

/**
 * The store, with conversation references read once and kept a short while:
 * a turn sends to the same conversations many times. Our own writes replace
 * the kept answer; a reference another instance registers is seen within the
 * TTL (sooner where none was registered: "none" is kept shortest).
 */
export function cacheConversations(store: Store, policies: CachePolicies, clock: Clock): Store {
  const references = new LookupCache<ConversationRecord | null>(policies.conversations, clock, (record) => record === null);
  const overrides: Pick<Store, 'getConversation' | 'putConversation'> = {
    getConversation: (key) => references.get(key, () => store.getConversation(key)),
    async putConversation(record) {
      // Forgotten first: a read racing this write must not keep the old reference.
      references.forget(record.key);
      await store.putConversation(record);
      references.put(record.key, record);
    },
  };
  return withStoreOverrides(store, overrides);
}
