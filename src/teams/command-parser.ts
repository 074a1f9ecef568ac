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
  | { kind: 'register'; purpose: ConversationPurpose }
  | { kind: 'unknown'; text: string };

/** Teams puts "<at>Custodian</at>" in the text of a message that mentions the bot. */
export function stripMentions(text: string): string {
  return text.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
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
    default:
      return { kind: 'unknown', text };
  }
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
 * "because" takes the rest of the line; other keywords take one word.
 */
export function parseRequestLine(line: string): RequestDraft {
  const draft: RequestDraft = {};
  const words = line.split(' ').filter(Boolean);
  const values: Partial<Record<Keyword, string>> = {};
  let i = 0;
  if (words[0] && !isKeyword(words[0])) draft.mailbox = words[i++];
  while (i < words.length) {
    const word = words[i].toLowerCase();
    if (word === 'because' || word === 'withheld') {
      const until = words.findIndex((candidate, index) => index > i && ['because', 'withheld'].includes(candidate.toLowerCase()) && candidate.toLowerCase() !== word);
      const end = until === -1 ? words.length : until;
      values[word] = words.slice(i + 1, end).join(' ');
      i = end;
    } else if (isKeyword(word)) {
      values[word] = words[i + 1] ?? '';
      i += 2;
    } else {
      // Stray word: keep it so the justification check can name it rather than silently drop it.
      values.because = [values.because, words[i]].filter(Boolean).join(' ');
      i += 1;
    }
  }
  draft.ticket = values.ticket;
  draft.jurisdiction = values.jurisdiction;
  draft.access = values.access;
  draft.folder = values.folder;
  draft.duration = values.for;
  draft.legalBasis = values.basis;
  draft.justification = values.because;
  draft.noticeWithheldReason = values.withheld;
  return draft;
}

function isKeyword(word: string): word is Keyword {
  return (KEYWORDS as readonly string[]).includes(word.toLowerCase());
}
