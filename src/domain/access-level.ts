import { ACCESS_LEVELS, type AccessLevel } from './types';

const ALIASES: Record<string, AccessLevel> = {
  full: 'FullAccess',
  fullaccess: 'FullAccess',
  read: 'ReadFolder',
  readonly: 'ReadFolder',
  readfolder: 'ReadFolder',
  reviewer: 'ReadFolder',
  folder: 'ReadFolder',
  sendonbehalf: 'SendOnBehalf',
  sob: 'SendOnBehalf',
  onbehalf: 'SendOnBehalf',
};

/** Accepts the canonical names and the short words people type ("full", "read-only", "send-on-behalf"). */
export function parseAccessLevel(text: string): AccessLevel | null {
  const key = text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  if (Object.hasOwn(ALIASES, key)) return ALIASES[key];
  return ACCESS_LEVELS.find((level) => level.toLowerCase() === key) ?? null;
}

export const ACCESS_LEVEL_LABELS: Record<AccessLevel, string> = {
  FullAccess: 'FullAccess (whole mailbox, no auto-mapping)',
  ReadFolder: 'Read-only folder access (Reviewer)',
  SendOnBehalf: 'Send on behalf',
};

export function describeAccess(level: AccessLevel, folder?: string): string {
  return level === 'ReadFolder' ? `Read-only access to ${folder ?? 'Inbox'}` : ACCESS_LEVEL_LABELS[level];
}
