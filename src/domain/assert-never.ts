/**
 * Ends a switch that must handle every case of a union: a case added to the
 * union and not handled makes `value` something other than `never`, which is a
 * compile error at the call. At run time (data from outside) it fails closed.
 */
export function assertNever(value: never, what: string): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
