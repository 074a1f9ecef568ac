// The one compare-and-swap loop behind every change to persisted state
// (requests, and the generic records of reviews and drift): read, apply a
// pure decision, write only if nobody else wrote in between; on a conflict
// re-read and decide again. Two approvers or two instances can never both win.

const MAX_CONFLICTS = 20;

type Decision<R> = { ok: true } | { ok: false; refusal: R };

export type WriteOutcome<T, D, R> =
  | { kind: 'written'; stored: T; previous: T; decision: D & { ok: true } }
  | { kind: 'refused'; refusal: R; current: T }
  | { kind: 'missing' };

export interface ConditionalWrite<T, D extends Decision<R>, R> {
  /** Names the thing in the error raised when it keeps changing. */
  what: string;
  read(): Promise<T | null>;
  decide(current: T): D;
  /** Writes the decision if `current` is still what is stored; null on a conflict. */
  write(decision: D & { ok: true }, current: T): Promise<T | null>;
  /**
   * A copy the caller holds (a claimed item, the result of its last change):
   * the first attempt decides on it without reading, and the conditional write
   * tells whether it was still current.
   */
  known?: T;
}

export async function writeConditionally<T, D extends Decision<R>, R>(op: ConditionalWrite<T, D, R>): Promise<WriteOutcome<T, D, R>> {
  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
    const fromCaller = attempt === 0 && op.known !== undefined;
    const current = fromCaller ? op.known! : await op.read();
    if (!current) return { kind: 'missing' };
    const decision = op.decide(current);
    if (!decision.ok) {
      // A refusal must rest on what is stored, not on a copy that may be old.
      if (fromCaller) continue;
      return { kind: 'refused', refusal: decision.refusal, current };
    }
    const ok = decision as D & { ok: true };
    const stored = await op.write(ok, current);
    if (stored) return { kind: 'written', stored, previous: current, decision: ok };
  }
  throw new Error(`${op.what} kept changing under concurrent updates; nothing was changed by this action.`);
}
