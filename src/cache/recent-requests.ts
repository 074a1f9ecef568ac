import { LRUCache } from 'lru-cache';
import type { AccessRequest } from '../domain/types';
import { withStoreOverrides } from './store-overrides';
import type { Store } from '../store/store';

/** Requests kept by one instance: enough for the clicks of a busy day, a few MB at most. */
export const RECENT_REQUESTS_KEPT = 1_000;

export interface RememberedRequests {
  store: Store;
  /** This instance's last copy of the request, as it stored or read it, if it still has one. */
  recent: (id: string) => AccessRequest | undefined;
}

/**
 * The store, with the last copy of each request this instance stored or read
 * kept aside. A person's change (an approval click) is decided on that copy
 * and written on its version: if another instance changed the request since,
 * the write fails and the request is read, so an old copy costs a read, never
 * a wrong decision (and a refusal is always decided on a fresh read). Never
 * shown to anyone: what people see is read from the store.
 */
export function rememberRequests(store: Store, max = RECENT_REQUESTS_KEPT): RememberedRequests {
  const copies = new LRUCache<string, AccessRequest>({ max });
  // Copies in and out, so that nobody changes the kept one in place.
  const keep = (request: AccessRequest) => copies.set(request.id, structuredClone(request));
  const overrides: Pick<Store, 'insertRequest' | 'updateRequest' | 'getRequest'> = {
    async insertRequest(request) {
      await store.insertRequest(request);
      keep(request);
    },
    async updateRequest(next, expectedVersion) {
      const stored = await store.updateRequest(next, expectedVersion);
      if (stored) keep(stored);
      else copies.delete(next.id);
      return stored;
    },
    async getRequest(id) {
      const found = await store.getRequest(id);
      if (found) keep(found);
      else copies.delete(id);
      return found;
    },
  };
  const wrapped = withStoreOverrides(store, overrides);
  return {
    store: wrapped,
    recent: (id) => {
      const copy = copies.get(id);
      return copy && structuredClone(copy);
    },
  };
}
