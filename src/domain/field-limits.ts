/**
 * The longest value Custodian accepts for each field a person can type or a
 * client can send. Checked where activities and invokes are parsed, so
 * nothing longer is stored, audited or shown on a card. The sums keep every
 * card under Teams' message size limit (about 28 KB); test/teams/card-size
 * builds each card with every field at its maximum to prove it.
 */
export const FIELD_LIMITS = {
  /** A ticket ID from the service desk. */
  ticket: 64,
  /** An e-mail address (RFC 5321 path limit). */
  mailbox: 254,
  /** A folder name in the mailbox (Exchange allows 255 characters). */
  folder: 255,
  justification: 2000,
  /** An approver's or reviewer's comment. */
  comment: 1000,
  /** An attestation note ("not possible because …"). */
  note: 500,
  /** A reason: why advance notice is withheld, why standing access is allowed. */
  reason: 500,
  /** The verb of a card button (ours are short words). */
  verb: 64,
  /** Any other value in a card action's data (IDs, choices). */
  value: 128,
  /** A whole chat message (a one-line request with every field at its maximum fits). */
  commandLine: 4000,
  /** A display name as Teams delivers it (Entra allows 256 characters). */
  displayName: 256,
  /** Any other string in an activity's envelope (IDs, URLs, names of channels and conversations). */
  envelope: 1024,
  /** A card action's whole data, serialized (every field at its maximum fits). */
  cardData: 8000,
} as const;

export type LimitedField = keyof typeof FIELD_LIMITS;

/** Human names of the fields, for the refusal message. */
const FIELD_NAMES: Record<LimitedField, string> = {
  ticket: 'ticket ID',
  mailbox: 'mailbox',
  folder: 'folder',
  justification: 'justification',
  comment: 'comment',
  note: 'note',
  reason: 'reason',
  verb: 'button verb',
  value: 'card value',
  commandLine: 'message',
  displayName: 'display name',
  envelope: 'activity field',
  cardData: 'card data',
};

export interface OversizedField {
  field: LimitedField;
  /** Where the value came from (a card input ID or "text"). */
  key: string;
  size: number;
  limit: number;
}

/** The first value longer than its field allows, or null. */
export function oversizedField(values: readonly { field: LimitedField; key: string; value: string }[]): OversizedField | null {
  for (const { field, key, value } of values)
    if (value.length > FIELD_LIMITS[field]) return { field, key, size: value.length, limit: FIELD_LIMITS[field] };
  return null;
}

/** "The justification is 2,417 characters long; the limit is 2,000. Nothing was changed." */
export function oversizedMessage(oversized: OversizedField): string {
  const name = FIELD_NAMES[oversized.field];
  // Generic fields say which one it was; the others are named well enough.
  const generic = oversized.field === 'value' || oversized.field === 'envelope';
  const article = generic ? `The ${name} "${oversized.key.slice(0, 64)}"` : `The ${name}`;
  return `${article} is ${oversized.size.toLocaleString('en-US')} characters long; the limit is ${oversized.limit.toLocaleString('en-US')}. Nothing was changed.`;
}
