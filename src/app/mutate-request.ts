import type { Refusal } from '../domain/refusal';
import type { Transition } from '../domain/transition';
import type { AccessRequest } from '../domain/types';
import type { Store } from '../store/store';

export type MutationResult =
  | { ok: true; request: AccessRequest; previous: AccessRequest; event: string; details?: Record<string, unknown>; extra: Transition }
  | { ok: false; refusal: Refusal; request: AccessRequest | null };

const MAX_CONFLICTS = 20;

/**
 * The one way persisted requests change: read, apply a pure transition, write
 * only if nobody else wrote in between; on conflict re-read and re-decide.
 * Two approvers or two instances can never both win. `known` is a copy the
 * caller holds (a claimed item, the result of its last change): the first
 * attempt decides on it without reading, and the conditional write tells
 * whether it was still current.
 */
export async function mutateRequest(store: Store, id: string, decide: (current: AccessRequest) => Transition, known?: AccessRequest): Promise<MutationResult> {
  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
    const fromCaller = attempt === 0 && known !== undefined;
    const current = fromCaller ? known : await store.getRequest(id);
    if (!current) return { ok: false, refusal: { code: 'not-found', message: `No request ${id} exists.` }, request: null };
    const outcome = decide(current);
    // A refusal must rest on what is stored, not on a copy that may be old.
    if (!outcome.ok && fromCaller) continue;
    if (!outcome.ok) return { ok: false, refusal: outcome.refusal, request: current };
    const stored = await store.updateRequest(outcome.next, current.version);
    if (stored) return { ok: true, request: stored, previous: current, event: outcome.event, details: outcome.details, extra: outcome };
  }
  throw new Error(`Request ${id} kept changing under concurrent updates; nothing was changed by this action.`);
}
