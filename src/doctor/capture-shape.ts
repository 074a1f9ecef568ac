import { PLACEHOLDERS, type NonJsonBody } from '../local-tenant/capture-format';

// Turns an answer body into its shape: keys, value types and array shapes are
// kept, every value that could name a person or a tenant becomes a placeholder.
// Error codes and messages, cmdlet warnings, rights and folder types are kept,
// with addresses, GUIDs, SIDs, URLs and quoted names inside them replaced.

/** Keys whose text says how the service behaves, not whom it concerns. */
const TELLING_KEYS = new Set([
  'code',
  'message',
  'type',
  'target',
  'error',
  'error_description',
  'status',
  '@odata.type',
  '@adminapi.warnings',
  'adminapi.warnings@odata.type',
  'GrantSendOnBehalfTo@odata.type',
  'AccessRights',
  'AccessControlType',
  'InheritanceType',
  'SharingPermissionFlags',
  'FolderType',
  'RecipientType',
  'RecipientTypeDetails',
  'UserType',
  'Value',
  'roles',
  'idtyp',
  'ver',
  'token_type',
]);
/** Default folder names tell the mailbox's language (Innboks), not its owner. */
const FOLDER_KEYS = new Set(['FolderName', 'FolderPath']);
/** Holders every mailbox has. */
const WELL_KNOWN = /^(NT AUTHORITY\\[A-Z ]+|Default|Anonymous)$/;
const NONE: ReadonlySet<string> = new Set();

const ADDRESS = /[^\s@'"<>()\\:/]+@[^\s@'"<>()\\:/]+\.[A-Za-z0-9.-]+/g;
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const SID = /S-1-\d+(-\d+)+/g;
const URL_TEXT = /https?:\/\/[^\s'"]+/g;
// A quoted name: the quote opens after a space or bracket and closes before one (so "couldn't" is no quote).
const QUOTED = /(^|[\s(])(['"])([^'"]+?)\2(?=[\s.,;:)]|$)/g;
const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/;

/** Text of a telling key: kept, with anything identifying inside replaced. */
export function scrubText(text: string): string {
  return text
    .replace(URL_TEXT, PLACEHOLDERS.url)
    .replace(ADDRESS, PLACEHOLDERS.address)
    .replace(GUID, PLACEHOLDERS.guid)
    .replace(SID, PLACEHOLDERS.sid)
    .replace(QUOTED, (whole, before: string, quote: string, inner: string) =>
      inner.includes('<') ? whole : `${before}${quote}${PLACEHOLDERS.name}${quote}`,
    );
}

/** Any other string: its kind only. */
export function placeholderFor(text: string): string {
  const t = text.trim();
  if (WELL_KNOWN.test(t)) return t;
  // A folder identity such as alex@contoso.com:\Innboks keeps its form and its (default) folder name.
  if (/^[^\s@\\]+@[^\s@\\:]+\.[^\s@\\:]+:?\\/.test(t)) return t.replace(ADDRESS, PLACEHOLDERS.address);
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t)) return PLACEHOLDERS.address;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t)) return PLACEHOLDERS.guid;
  if (/^(NT:)?S-1-\d+(-\d+)+$/.test(t)) return PLACEHOLDERS.sid;
  if (/^https?:\/\//.test(t)) return PLACEHOLDERS.url;
  if (DATE.test(t)) return PLACEHOLDERS.date;
  return PLACEHOLDERS.name;
}

/**
 * The shape of a parsed JSON body (at most three distinct shapes kept per array).
 * `keep` names further keys whose text is kept (scrubbed) for this answer, e.g. Name of a default folder.
 */
export function shapeOf(value: unknown, key = '', telling = false, keep: ReadonlySet<string> = NONE): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (telling || TELLING_KEYS.has(key) || FOLDER_KEYS.has(key) || keep.has(key)) return scrubText(value);
    return placeholderFor(value);
  }
  if (Array.isArray(value)) {
    const seen = new Set<string>();
    const items: unknown[] = [];
    for (const item of value) {
      const shape = shapeOf(item, key, telling || TELLING_KEYS.has(key), keep);
      const id = JSON.stringify(shape);
      if (seen.has(id)) continue;
      seen.add(id);
      items.push(shape);
      if (items.length === 3) break;
    }
    return items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = shapeOf(v, k, false, keep);
    return out;
  }
  return PLACEHOLDERS.text;
}

/** The shape of a raw body: JSON shaped, non-JSON described, empty as null. */
export function shapeOfBody(text: string, keep: ReadonlySet<string> = NONE): unknown {
  const meaningful = text.replaceAll(String.fromCharCode(0), '').trim();
  if (!meaningful) {
    if (text.length === 0) return null;
    return { $nonJson: { length: text.length, nul: true, html: false } } satisfies NonJsonBody;
  }
  try {
    return shapeOf(JSON.parse(meaningful), '', false, keep);
  } catch {
    return { $nonJson: { length: text.length, nul: text.includes('\u0000'), html: /<html/i.test(meaningful) } } satisfies NonJsonBody;
  }
}
