import type { Activity } from 'botbuilder';
import { FIELD_LIMITS, oversizedField, type LimitedField, type OversizedField } from '../domain/field-limits';
import { parseCommand } from './command-parser';

/** Card inputs by ID: which limit applies. Review cards name their comment inputs "comment-<request ID>". */
function fieldOfInput(key: string): LimitedField {
  if (key === 'mailbox' || key === 'ticket' || key === 'folder' || key === 'justification') return key;
  if (key === 'noticeWithheldReason' || key === 'reason' || key === 'extendReason') return 'reason';
  if (key === 'attestNote') return 'note';
  if (key === 'comment' || key.startsWith('comment-')) return 'comment';
  return 'value';
}

/** Top-level parts of an activity checked field by field below, not as envelope. */
const CHECKED_APART = new Set(['text', 'value', 'attachments', 'entities']);

/**
 * The first value in an activity longer than Custodian accepts, or null.
 * Runs before anything of the activity is stored, so an oversized value is
 * refused whole instead of being cut or written to the audit trail.
 */
export function oversizedInActivity(activity: Activity): OversizedField | null {
  const values: { field: LimitedField; key: string; value: string }[] = [];
  collectEnvelope(activity as unknown as Record<string, unknown>, '', values, 0);
  if (typeof activity.from?.name === 'string') values.unshift({ field: 'displayName', key: 'from.name', value: activity.from.name });
  if (typeof activity.text === 'string') {
    values.push({ field: 'commandLine', key: 'text', value: activity.text });
    if (activity.text.length <= FIELD_LIMITS.commandLine) values.push(...commandFields(activity.text));
  }
  if (activity.type === 'invoke') values.push(...invokeFields(activity.value));
  return oversizedField(values);
}

/** The fields of a one-line request, so `request … because <3,000 characters>` names the justification. */
function commandFields(text: string): { field: LimitedField; key: string; value: string }[] {
  const command = parseCommand(text);
  if (command.kind === 'extend') return [{ field: 'reason', key: 'because', value: command.reason ?? '' }];
  if (command.kind !== 'request') return [];
  const { mailbox, ticket, folder, justification, noticeWithheldReason } = command.draft;
  return [
    { field: 'mailbox', key: 'mailbox', value: mailbox ?? '' },
    { field: 'ticket', key: 'ticket', value: ticket ?? '' },
    { field: 'folder', key: 'folder', value: folder ?? '' },
    { field: 'justification', key: 'justification', value: justification ?? '' },
    { field: 'reason', key: 'withheld', value: noticeWithheldReason ?? '' },
  ];
}

function invokeFields(value: unknown): { field: LimitedField; key: string; value: string }[] {
  const action = (value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
  if (!action || typeof action !== 'object') return [];
  const fields: { field: LimitedField; key: string; value: string }[] = [];
  if (typeof action.verb === 'string') fields.push({ field: 'verb', key: 'verb', value: action.verb });
  if (action.data && typeof action.data === 'object') {
    fields.push({ field: 'cardData', key: 'data', value: JSON.stringify(action.data) });
    for (const [key, item] of Object.entries(action.data as Record<string, unknown>))
      if (typeof item === 'string') fields.push({ field: fieldOfInput(key), key, value: item });
  }
  return fields;
}

/** Every string of the envelope (IDs, names, URLs), and every key, bounded alike; depth is bounded too. */
function collectEnvelope(
  node: Record<string, unknown> | unknown[],
  path: string,
  values: { field: LimitedField; key: string; value: string }[],
  depth: number,
): void {
  for (const [key, item] of Object.entries(node)) {
    if (depth === 0 && CHECKED_APART.has(key)) continue;
    const where = path ? `${path}.${key}` : key;
    if (key.length > FIELD_LIMITS.envelope) values.push({ field: 'envelope', key: where.slice(0, 64), value: key });
    if (typeof item === 'string') values.push({ field: 'envelope', key: where, value: item });
    else if (item && typeof item === 'object') {
      if (depth >= 8) values.push({ field: 'envelope', key: where, value: JSON.stringify(item) });
      else collectEnvelope(item as Record<string, unknown>, where, values, depth + 1);
    }
  }
}
