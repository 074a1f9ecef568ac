// The access-level list in README.md and in the policy file's comment, written
// from the level table (src/domain/access-level.ts) between marker comments.
// `npm run docs:levels` rewrites them; `-- --check` reports what is out of date.

import {
  ACCESS_LEVELS,
  accessLevelSpec,
  defaultFolderOf,
  type AccessLevel,
  type FolderRule,
  type GrantMechanism,
} from '../domain/access-level';
import { assertNever } from '../domain/assert-never';

const BEGIN = 'access-levels:begin';
const END = 'access-levels:end';

/** The files that carry the list, relative to the repository root, and how each renders it. */
export const LEVEL_DOC_FILES: readonly { path: string; render: () => string[] }[] = [
  { path: 'README.md', render: markdownTable },
  { path: 'bot/policies.yaml', render: commentLines },
];

function exchangeText(grant: GrantMechanism): string {
  switch (grant.kind) {
    case 'mailboxPermission':
      return `Add-MailboxPermission, AccessRights ${grant.right}, AutoMapping off`;
    case 'sendOnBehalf':
      return 'Set-Mailbox GrantSendOnBehalfTo';
    case 'folderPermission':
      return `Add-MailboxFolderPermission, AccessRights ${grant.role}`;
    default:
      return assertNever(grant, 'grant mechanism');
  }
}

function folderText(level: AccessLevel, rule: FolderRule): string {
  switch (rule.kind) {
    case 'mailbox':
      return 'whole mailbox';
    case 'chosen':
      return `the folder the requester names; default ${defaultFolderOf(level)} (found by type, FolderScope ${rule.default})`;
    case 'fixed':
      return `${defaultFolderOf(level)} (found by type, FolderScope ${rule.scope}, in any mailbox language)`;
    default:
      return assertNever(rule, 'folder rule');
  }
}

function markdownTable(): string[] {
  return [
    '| Level | What it grants | Typed as | Folder | In Exchange |',
    '| --- | --- | --- | --- | --- |',
    ...ACCESS_LEVELS.map((level) => {
      const spec = accessLevelSpec(level);
      const typed = spec.aliases.map((alias) => `\`${alias}\``).join(', ');
      return `| \`${level}\` | ${spec.summary} | ${typed} | ${folderText(level, spec.folder)} | ${exchangeText(spec.grant)} |`;
    }),
  ];
}

function commentLines(): string[] {
  const width = Math.max(...ACCESS_LEVELS.map((level) => level.length)) + 2;
  return ACCESS_LEVELS.map((level) => `${level.padEnd(width)}${accessLevelSpec(level).summary}`);
}

/** The text with the lines between its markers replaced by `lines`. */
export function withLevelList(text: string, lines: readonly string[], path: string): string {
  const all = text.split('\n');
  const begin = all.findIndex((line) => line.includes(BEGIN));
  const end = all.findIndex((line, index) => index > begin && line.includes(END));
  if (begin < 0 || end < 0) throw new Error(`${path} has no "${BEGIN}" ... "${END}" marker lines for the access-level list.`);
  // "#     [access-levels:begin]" in YAML, "<!-- access-levels:begin -->" in Markdown: what comes before the bracket starts each line.
  const marker = all[begin];
  const prefix = marker.slice(0, Math.max(0, marker.search(/<!--|\[/)));
  return [...all.slice(0, begin + 1), ...lines.map((line) => `${prefix}${line}`.trimEnd()), ...all.slice(end)].join('\n');
}

/** Each file's text as it should be, from its current text. */
export function updatedLevelDocs(read: (path: string) => string): { path: string; current: string; wanted: string }[] {
  return LEVEL_DOC_FILES.map(({ path, render }) => {
    const current = read(path);
    return { path, current, wanted: withLevelList(current, render(), path) };
  });
}
