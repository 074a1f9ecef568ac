import type { RequestDraft } from '../domain/request-draft';
import type { ConversationPurpose } from '../app/ports';

export type Command =
  | { kind: 'help' }
  | { kind: 'request-form' }
  | { kind: 'request'; draft: RequestDraft }
  | { kind: 'status'; id?: string }
  | { kind: 'mine' }
  | { kind: 'cancel'; id?: string }
  | { kind: 'release'; id?: string }
  | { kind: 'extend'; id?: string; duration?: string; reason?: string }
  | { kind: 'register'; purpose: ConversationPurpose }
  | { kind: 'audit'; subject: string }
  | { kind: 'revoke-all'; confirmed: boolean }
  | { kind: 'reviews' }
  | { kind: 'sweep'; argument: string }
  | { kind: 'report'; month: string }
  | { kind: 'conversations' }
  | { kind: 'unknown'; text: string };

/** Teams puts "<at>Custodian</at>" in the text of a message that mentions the bot. */
export function stripMentions(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const REGISTER = /^use this (?:channel|chat|conversation) for (approvals|security(?: notices)?|hr|dpo|data[- ]protection)\.?$/i;
const KEYWORDS = ['ticket', 'jurisdiction', 'access', 'folder', 'for', 'basis', 'because', 'withheld'] as const;
type Keyword = (typeof KEYWORDS)[number];

/** Parses a chat message into a command; the request one-liner is keyword based and order-free. */
export function parseCommand(raw: string): Command {
  const text = stripMentions(raw);
  const [head = '', ...rest] = text.split(' ');
  const verb = head.toLowerCase();
  const arg = rest.join(' ').trim();
  const register = REGISTER.exec(text);
  if (register) return { kind: 'register', purpose: purposeOf(register[1]) };
  switch (verb) {
    case '':
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'request':
      return arg ? { kind: 'request', draft: parseRequestLine(arg) } : { kind: 'request-form' };
    case 'status':
      return { kind: 'status', id: arg || undefined };
    case 'mine':
      return { kind: 'mine' };
    case 'cancel':
      return { kind: 'cancel', id: arg || undefined };
    case 'release':
      return { kind: 'release', id: arg || undefined };
    case 'extend':
      return parseExtendLine(arg);
    case 'audit':
      return { kind: 'audit', subject: arg };
    case 'revoke-all':
      return { kind: 'revoke-all', confirmed: arg.toLowerCase() === 'confirm' };
    case 'reviews':
      return { kind: 'reviews' };
    case 'sweep':
      return { kind: 'sweep', argument: arg };
    case 'report':
      return { kind: 'report', month: arg };
    case 'conversations':
      return { kind: 'conversations' };
    default:
      return { kind: 'unknown', text };
  }
}

/** "CUS-2026-0042 for 2h because <text>": "because" takes the rest of the line, as in a request. */
export function parseExtendLine(line: string): Command {
  const because = /(?:^|\s)because(?:\s+|$)/i.exec(line);
  const head = because ? line.slice(0, because.index) : line;
  const reason = because ? line.slice(because.index + because[0].length).trim() : undefined;
  const forAt = /(?:^|\s)for(?:\s+|$)/i.exec(head);
  const id = (forAt ? head.slice(0, forAt.index) : head).trim();
  const duration = forAt ? head.slice(forAt.index + forAt[0].length).trim() : undefined;
  return { kind: 'extend', id: id || undefined, duration: duration || undefined, reason: reason || undefined };
}

function purposeOf(word: string): ConversationPurpose {
  const lower = word.toLowerCase();
  if (lower.startsWith('security')) return 'security';
  if (lower === 'hr') return 'hr';
  if (lower === 'dpo' || lower.startsWith('data')) return 'dpo';
  return 'approvals';
}

/**
 * "alice@contoso.com ticket INC-1234 jurisdiction NO access full for 4h because <text>".
 * Each keyword takes the words up to the next keyword (so "folder Sent Items" works);
 * "withheld" takes everything up to "because", and "because" takes the rest of the line,
 * so words like "for" or "withheld" inside a justification stay part of it.
 */
export function parseRequestLine(line: string): RequestDraft {
  const words = line.split(' ').filter(Boolean);
  const values: Partial<Record<Keyword | 'mailbox', string[]>> = {};
  let current: Keyword | 'mailbox' = 'mailbox';
  for (const word of words) {
    const lower = word.toLowerCase();
    const switchesKey =
      current !== 'because' &&
      isKeyword(lower) &&
      (current !== 'withheld' || lower === 'because') &&
      !(values[lower] !== undefined && lower !== 'because');
    if (switchesKey) {
      current = lower;
      values[current] = [];
    } else {
      (values[current] ??= []).push(word);
    }
  }
  const joined = (key: Keyword | 'mailbox') => (values[key] ? values[key].join(' ') : undefined);
  return {
    mailbox: joined('mailbox'),
    ticket: joined('ticket'),
    jurisdiction: joined('jurisdiction'),
    access: joined('access'),
    folder: joined('folder'),
    duration: joined('for'),
    legalBasis: joined('basis'),
    justification: joined('because'),
    noticeWithheldReason: joined('withheld'),
  };
}

function isKeyword(word: string): word is Keyword {
  return (KEYWORDS as readonly string[]).includes(word.toLowerCase());
}
