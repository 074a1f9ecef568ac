import type { Refusal } from './refusal';
import type { AccessRequest } from './types';

/** The outcome of a pure state change: the next record and the audit event it produces, or a refusal. */
export type Transition =
  { ok: true; next: AccessRequest; event: string; details?: Record<string, unknown> } | { ok: false; refusal: Refusal };

export function moved(next: AccessRequest, event: string, details?: Record<string, unknown>): Transition {
  return { ok: true, next, event, details };
}

export function refused(refusal: Refusal): Transition {
  return { ok: false, refusal };
}
