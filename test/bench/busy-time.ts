import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * Wall time during which at least one call of a category was running, per
 * category. Nested and parallel calls are counted once, so the categories of
 * one sequential turn add up to no more than the turn itself.
 */
export class BusyTime {
  private readonly active = new Map<string, { depth: number; since: number }>();
  private readonly totals = new Map<string, { ms: number; calls: number }>();

  enter(category: string): void {
    const state = this.active.get(category) ?? { depth: 0, since: 0 };
    if (state.depth === 0) state.since = performance.now();
    state.depth++;
    this.active.set(category, state);
    const total = this.totals.get(category) ?? { ms: 0, calls: 0 };
    total.calls++;
    this.totals.set(category, total);
  }

  leave(category: string): void {
    const state = this.active.get(category);
    if (!state || state.depth === 0) return;
    state.depth--;
    if (state.depth > 0) return;
    // A call that began before reset() counts from the reset on.
    const total = this.totals.get(category) ?? { ms: 0, calls: 0 };
    total.ms += performance.now() - Math.max(state.since, this.resetAt);
    this.totals.set(category, total);
  }

  private resetAt = 0;

  reset(): void {
    this.totals.clear();
    this.resetAt = performance.now();
  }

  snapshot(): Map<string, { ms: number; calls: number }> {
    return new Map([...this.totals].map(([key, value]) => [key, { ...value }]));
  }

  /**
   * Wraps every method of `target` (own and inherited) in place, counting its
   * time under `category`, or under `category(methodName)` when it is a function.
   */
  instrument<T extends object>(target: T, category: string | ((method: string) => string)): T {
    const names = new Set<string>();
    for (let proto: object | null = target; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor') names.add(name);
    }
    const record = target as Record<string, unknown>;
    for (const name of names) {
      const original = record[name];
      if (typeof original !== 'function') continue;
      const label = typeof category === 'string' ? category : category(name);
      record[name] = (...args: unknown[]) => {
        this.enter(label);
        let result: unknown;
        try {
          result = (original as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          this.leave(label);
          throw error;
        }
        if (result instanceof Promise) return result.finally(() => this.leave(label));
        this.leave(label);
        return result;
      };
    }
    return target;
  }

  /** Counts outgoing undici (fetch) requests to `origin`, under the category `categorize` gives their path. */
  watchUndici(origin: string, categorize: (method: string, path: string) => string): () => void {
    type UndiciRequest = { origin: string; method: string; path: string };
    const open = new WeakMap<UndiciRequest, string>();
    const create = ({ request }: { request: UndiciRequest }) => {
      if (String(request.origin) !== origin) return;
      const label = categorize(request.method, request.path);
      open.set(request, label);
      this.enter(label);
    };
    const done = ({ request }: { request: UndiciRequest }) => {
      const label = open.get(request);
      if (label === undefined) return;
      open.delete(request);
      this.leave(label);
    };
    diagnosticsChannel.subscribe('undici:request:create', create as never);
    diagnosticsChannel.subscribe('undici:request:trailers', done as never);
    diagnosticsChannel.subscribe('undici:request:error', done as never);
    return () => {
      diagnosticsChannel.unsubscribe('undici:request:create', create as never);
      diagnosticsChannel.unsubscribe('undici:request:trailers', done as never);
      diagnosticsChannel.unsubscribe('undici:request:error', done as never);
    };
  }

  /** Counts outgoing node:http requests to one port (the Bot Framework connector) under `category`. */
  watchHttpPort(port: number, category: string): () => void {
    const open = new WeakSet<ClientRequest>();
    const start = ({ request }: { request: ClientRequest }) => {
      const host = request.getHeader('host');
      if (typeof host === 'string' && host.endsWith(`:${port}`)) {
        open.add(request);
        this.enter(category);
      }
    };
    const finish = ({ request }: { request: ClientRequest }) => {
      if (open.delete(request)) this.leave(category);
    };
    const error = ({ request }: { request: ClientRequest }) => {
      if (open.delete(request)) this.leave(category);
    };
    diagnosticsChannel.subscribe('http.client.request.start', start as never);
    diagnosticsChannel.subscribe('http.client.response.finish', finish as never);
    diagnosticsChannel.subscribe('http.client.request.error', error as never);
    return () => {
      diagnosticsChannel.unsubscribe('http.client.request.start', start as never);
      diagnosticsChannel.unsubscribe('http.client.response.finish', finish as never);
      diagnosticsChannel.unsubscribe('http.client.request.error', error as never);
    };
  }
}
