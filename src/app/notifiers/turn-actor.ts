import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who the current turn is for, so that notices raised anywhere below it
 * (refusals in the use cases, in the work after the answer) can be grouped
 * per person without every use case passing the person along.
 */
const current = new AsyncLocalStorage<string>();

export function runForActor<T>(actorKey: string, work: () => T): T {
  return current.run(actorKey, work);
}

/** The actor of the running turn; undefined outside one (scheduled work). */
export function currentActor(): string | undefined {
  return current.getStore();
}
