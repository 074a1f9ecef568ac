// THE table of access levels. Everything else that knows the levels reads it:
// the request form's choices, the help text, the error texts, the policy
// schema, drift matching of held permissions, the folders a sweep reads, the
// generated docs (`npm run docs:levels`) and the Exchange connector (one case
// per grant mechanism). A new level is one entry here; a new mechanism is also
// one case in the connector's switches, which fail to compile without it.

import { assertNever } from './assert-never';
import { normaliseFolder, type HeldKind, type HeldPermission } from './drift-permission';
import { FOLDER_SCOPES, type FolderScope } from './mailbox-folder';

/** How Exchange grants a level. */
export type GrantMechanism =
  /** Add-/Remove-MailboxPermission with these AccessRights (AutoMapping off). */
  | { kind: 'mailboxPermission'; right: 'FullAccess' }
  /** Set-Mailbox GrantSendOnBehalfTo add/remove. */
  | { kind: 'sendOnBehalf' }
  /** Add-/Remove-MailboxFolderPermission with this role. */
  | { kind: 'folderPermission'; role: 'Reviewer' };

/** Which folder a level applies to. */
export type FolderRule =
  /** The whole mailbox: no folder. */
  | { kind: 'mailbox' }
  /** A folder the requester names; left empty, this default folder (found by its type). */
  | { kind: 'chosen'; default: FolderScope }
  /** Always this default folder, found by its type in any mailbox language. */
  | { kind: 'fixed'; scope: FolderScope };

export interface AccessLevelSpec {
  /** Shown on the form and the cards. */
  label: string;
  /** One line for the help text, the policy file and README. */
  summary: string;
  /** Words people may type (compared without case, spaces, dashes and underscores); the first is shown in the help text. */
  aliases: readonly string[];
  folder: FolderRule;
  grant: GrantMechanism;
  /** The form lists the narrowest first (1 = one folder, 2 = sending, 3 = the whole mailbox). */
  breadth: 1 | 2 | 3;
}

const TABLE = {
  FullAccess: {
    label: 'FullAccess (whole mailbox, no auto-mapping)',
    summary: 'the whole mailbox, without auto-mapping',
    aliases: ['full', 'fullaccess'],
    folder: { kind: 'mailbox' },
    grant: { kind: 'mailboxPermission', right: 'FullAccess' },
    breadth: 3,
  },
  ReadFolder: {
    label: 'Read-only folder access (Reviewer)',
    summary: 'read-only access to one folder, as Reviewer',
    aliases: ['read', 'readonly', 'readfolder', 'reviewer', 'folder'],
    folder: { kind: 'chosen', default: 'Inbox' },
    grant: { kind: 'folderPermission', role: 'Reviewer' },
    breadth: 1,
  },
  SendOnBehalf: {
    label: 'Send on behalf',
    summary: 'send on behalf of the owner',
    aliases: ['sendonbehalf', 'sob', 'onbehalf'],
    folder: { kind: 'mailbox' },
    grant: { kind: 'sendOnBehalf' },
    breadth: 2,
  },
  Calendar: {
    label: 'Read-only calendar access (Reviewer)',
    summary: 'read-only access to the calendar, as Reviewer',
    aliases: ['calendar', 'cal', 'readcalendar', 'calendarread'],
    folder: { kind: 'fixed', scope: 'Calendar' },
    grant: { kind: 'folderPermission', role: 'Reviewer' },
    breadth: 1,
  },
} as const satisfies Record<string, AccessLevelSpec>;

export type AccessLevel = keyof typeof TABLE;

export const ACCESS_LEVELS = Object.keys(TABLE) as [AccessLevel, ...AccessLevel[]];

export function accessLevelSpec(level: AccessLevel): AccessLevelSpec {
  return TABLE[level];
}

export function isAccessLevel(value: unknown): value is AccessLevel {
  return typeof value === 'string' && Object.hasOwn(TABLE, value);
}

const squash = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

/** Accepts the canonical names and the short words people type ("full", "read-only", "send-on-behalf"). */
export function parseAccessLevel(text: string): AccessLevel | null {
  const key = squash(text);
  return ACCESS_LEVELS.find((level) => squash(level) === key || accessLevelSpec(level).aliases.includes(key)) ?? null;
}

/** "FullAccess, ReadFolder, SendOnBehalf or Calendar" (`joiner` "and" or "or"). */
export function accessLevelList(joiner = 'or'): string {
  return `${ACCESS_LEVELS.slice(0, -1).join(', ')} ${joiner} ${ACCESS_LEVELS.at(-1)}`;
}

/** The request form's choices, narrowest first. */
export function accessLevelChoices(): { title: string; value: AccessLevel }[] {
  return [...ACCESS_LEVELS]
    .sort((a, b) => accessLevelSpec(a).breadth - accessLevelSpec(b).breadth)
    .map((level) => ({ title: accessLevelSpec(level).label, value: level }));
}

/** The folder a level applies to when nothing (or nothing valid) was named: its default or fixed folder; undefined when mailbox-wide. */
export function defaultFolderOf(level: AccessLevel): string | undefined {
  const rule = accessLevelSpec(level).folder;
  switch (rule.kind) {
    case 'mailbox':
      return undefined;
    case 'chosen':
      return FOLDER_SCOPES[rule.default];
    case 'fixed':
      return FOLDER_SCOPES[rule.scope];
    default:
      return assertNever(rule, 'folder rule');
  }
}

/** The folder a request is for: what was typed where the requester chooses, else the level's own; undefined when mailbox-wide. */
export function folderForRequest(level: AccessLevel, typed: string | undefined): string | undefined {
  const chosen = accessLevelSpec(level).folder.kind === 'chosen' ? typed?.trim() : undefined;
  return chosen || defaultFolderOf(level);
}

/** The folder the form proposes for levels where the requester names one. */
export function proposedFolder(): string {
  const level = ACCESS_LEVELS.find((candidate) => accessLevelSpec(candidate).folder.kind === 'chosen');
  return (level && defaultFolderOf(level)) ?? '';
}

/** Whether a level grants on a folder (so a grant records the folder it landed on). */
export function isFolderLevel(level: AccessLevel): boolean {
  return accessLevelSpec(level).folder.kind !== 'mailbox';
}

/** The folders a drift sweep reads: every folder a level defaults to or is fixed on, English names, once each. */
export function sweptFolders(): string[] {
  return [...new Set(ACCESS_LEVELS.map(defaultFolderOf).filter((folder): folder is string => folder !== undefined))];
}

/** "Read-only access to Innboks", or the label for mailbox-wide levels. */
export function describeAccess(level: AccessLevel, folder?: string): string {
  const spec = accessLevelSpec(level);
  const grant = spec.grant;
  switch (grant.kind) {
    case 'mailboxPermission':
    case 'sendOnBehalf':
      return spec.label;
    case 'folderPermission':
      return `Read-only access to ${folder ?? defaultFolderOf(level)}`;
    default:
      return assertNever(grant, 'grant mechanism');
  }
}

/** The kind of held permission (as a sweep reads it) that a grant by this mechanism shows up as. */
export function heldKindOf(grant: GrantMechanism): HeldKind {
  switch (grant.kind) {
    case 'mailboxPermission':
      return grant.right;
    case 'sendOnBehalf':
      return 'SendOnBehalf';
    case 'folderPermission':
      return 'Folder';
    default:
      return assertNever(grant, 'grant mechanism');
  }
}

/**
 * Whether a grant of `level` (on `grantFolder`, as the mailbox names it) accounts
 * for a held permission of the same holder: the same kind, and for folder grants
 * the same folder with exactly the role Custodian grants.
 */
export function levelExplains(level: AccessLevel, grantFolder: string | undefined, held: HeldPermission): boolean {
  const grant = accessLevelSpec(level).grant;
  if (heldKindOf(grant) !== held.kind) return false;
  switch (grant.kind) {
    case 'mailboxPermission':
    case 'sendOnBehalf':
      return true;
    case 'folderPermission': {
      const roles = (held.role ?? '')
        .toLowerCase()
        .split(',')
        .map((role) => role.trim());
      return (
        normaliseFolder(grantFolder ?? defaultFolderOf(level)) === normaliseFolder(held.folder) &&
        roles.length === 1 &&
        roles[0] === grant.role.toLowerCase()
      );
    }
    default:
      return assertNever(grant, 'grant mechanism');
  }
}

export const ACCESS_LEVEL_LABELS = Object.fromEntries(ACCESS_LEVELS.map((level) => [level, accessLevelSpec(level).label])) as Record<
  AccessLevel,
  string
>;

/** The help text's line on access levels: the first alias of each, with its summary. */
export function accessHelpLine(): string {
  const words = accessLevelChoices().map(({ value }) => {
    const spec = accessLevelSpec(value);
    const folder = spec.folder.kind === 'chosen' ? `, default ${defaultFolderOf(value)}` : '';
    return `\`${spec.aliases[0]}\` (${spec.summary}${folder})`;
  });
  return `access: ${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
