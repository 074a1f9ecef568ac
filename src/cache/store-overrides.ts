import type { Store } from '../store/store';

/** The store with some of its methods replaced; every other member is the store's own, bound to it. */
export function withStoreOverrides<K extends keyof Store>(store: Store, overrides: Pick<Store, K>): Store {
  return new Proxy(store, {
    get(target, property) {
      if (Object.prototype.hasOwnProperty.call(overrides, property)) return overrides[property as K];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
