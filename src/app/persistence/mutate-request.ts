import type { Refusal } from '../../domain/refusal';
import type { Transition } from '../../domain/transition';
import type { AccessRequest } from '../../domain/types';
import type { Store } from '../../store/store';
import { writeConditionally } from './conditional-write';

export type MutationResult =
  | { ok: true; request: AccessRequest; previous: AccessRequest; event: string; details?: Record<string, unknown>; extra: Transition }
  | { ok: false; refusal: Refusal; request: AccessRequest | null };

/**
 * The one way persisted requests change: a pure transition applied through the
 * conditional-write loop, written only if the version read is still current.
 * `known` is a copy the caller holds; see ConditionalWrite.known.
 */
export async function mutateRequest(
  store: Store,
  id: string,
  decide: (current: AccessRequest) => Transition,
  known?: AccessRequest,
): Promise<MutationResult> {
  const outcome = await writeConditionally<AccessRequest, Transition, Refusal>({
    what: `Request ${id}`,
    read: () => store.getRequest(id),
    decide,
    write: (transition, current) => store.updateRequest(transition.next, current.version),
    known,
  });
  if (outcome.kind === 'missing') return { ok: false, refusal: { code: 'not-found', message: `No request ${id} exists.` }, request: null };
  if (outcome.kind === 'refused') return { ok: false, refusal: outcome.refusal, request: outcome.current };
  const { decision } = outcome;
  return {
    ok: true,
    request: outcome.stored,
    previous: outcome.previous,
    event: decision.event,
    details: decision.details,
    extra: decision,
  };
}
