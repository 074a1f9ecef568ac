// MongoDB and Cosmos DB disagree on which document keys and
// shapes they accept. Everything we store goes through this reversible
// encoding so that free-form data (conversation references, audit details)
// uses only the common subset:
//   - '%' -> '%25', '.' -> '%2E', NUL -> '%00', a leading '$' -> '%24', '' -> '%'
//   - an array directly inside an array is wrapped as { '%a': [...] }
// An encoded key never equals '%' or '%a' unless produced here, so decoding is exact.

const ARRAY_WRAPPER = '%a';

function encodeKey(key: string): string {
  if (key === '') return '%';
  let out = key.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\0/g, '%00');
  if (out.startsWith('$')) out = `%24${out.slice(1)}`;
  return out;
}

function decodeKey(key: string): string {
  if (key === '%') return '';
  return key.replace(/%(25|2E|00|24)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Sets a property without ever touching the prototype (a key may be "__proto__"). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function encodeValue(value: unknown, insideArray: boolean): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => encodeValue(item, true));
    return insideArray ? { [ARRAY_WRAPPER]: items } : items;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) define(out, encodeKey(key), encodeValue(item, false));
    }
    return out;
  }
  return value;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === ARRAY_WRAPPER && Array.isArray(value[ARRAY_WRAPPER])) {
      return decodeValue(value[ARRAY_WRAPPER]);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) define(out, decodeKey(key), decodeValue(value[key]));
    return out;
  }
  return value;
}

/** Encodes a document for storage. Keys that are already safe stay as they are, so indexes on them work. */
export function encodeDocument<T extends object>(doc: T): Record<string, unknown> {
  return encodeValue(doc, false) as Record<string, unknown>;
}

/** Exact inverse of encodeDocument. */
export function decodeDocument<T>(doc: Record<string, unknown>): T {
  return decodeValue(doc) as T;
}
