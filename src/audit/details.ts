/**
 * Turns caller-supplied audit details into plain JSON that hashes and stores
 * identically in every store, and removes anything that looks like a secret:
 * an audit trail is read by many people and kept for years.
 */

const SECRET_KEY = /passw(or)?d|passphrase|^pwd$|secret|token|authori[sz]ation|api[-_]?key|cookie|credential|private[-_]?key/i;
const MAX_DEPTH = 20;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export interface SanitisedDetails {
  details: Record<string, unknown>;
  /** Paths of the keys that were removed because they looked like secrets (never their values). */
  stripped: string[];
}

export function sanitiseDetails(details: Record<string, unknown> | undefined): SanitisedDetails {
  const stripped: string[] = [];
  const seen = new WeakSet<object>();
  const result = details === undefined ? {} : toJson(details, 'details', 0, stripped, seen);
  const asObject =
    result !== null && typeof result === 'object' && !Array.isArray(result) ? (result as Record<string, unknown>) : { value: result };
  return { details: asObject, stripped };
}

function toJson(value: unknown, path: string, depth: number, stripped: string[], seen: WeakSet<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // NaN and Infinity have no JSON form; keep them readable rather than losing the event.
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return null;
  const obj = value as object;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
  if (obj instanceof Error) return { name: obj.name, message: obj.message };
  if (ArrayBuffer.isView(obj)) return Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength).toString('base64');
  if (seen.has(obj)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      return obj.map((item, i) => toJson(item, `${path}[${i}]`, depth + 1, stripped, seen) ?? null);
    }
    const source: Iterable<[unknown, unknown]> = obj instanceof Map ? obj.entries() : Object.entries(obj);
    const entries: [string, unknown][] = [];
    for (const [rawKey, item] of source) {
      const key = String(rawKey);
      if (isSecretKey(key)) {
        stripped.push(`${path}.${key}`);
        continue;
      }
      const converted = toJson(item, `${path}.${key}`, depth + 1, stripped, seen);
      if (converted !== undefined) entries.push([key, converted]);
    }
    // fromEntries defines own properties, so a key named "__proto__" stays data.
    return Object.fromEntries(entries);
  } finally {
    seen.delete(obj);
  }
}
