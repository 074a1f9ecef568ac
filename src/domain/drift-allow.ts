import { normaliseFolder, type HeldKind, type HeldPermission } from './drift-permission';

/**
 * A permission that is expected and never a finding: from the allow-list file
 * (which may use "*" for any mailbox, holder or kind) or added with "Allow"
 * on a finding card (exact).
 */
export interface AllowRule {
  mailbox: string;
  grantee: string;
  kind: HeldKind | '*';
  /** Folder permissions only; any folder when absent. */
  folder?: string;
  reason: string;
  /** Where the rule comes from: the file and entry, or the finding it was added on. */
  source: string;
}

function matches(pattern: string, value: string): boolean {
  return pattern === '*' || pattern.trim().toLowerCase() === value.trim().toLowerCase();
}

/** The first rule that allows the permission, if any. */
export function allowedBy(permission: HeldPermission, rules: readonly AllowRule[]): AllowRule | undefined {
  return rules.find(
    (rule) =>
      matches(rule.mailbox, permission.mailbox) &&
      matches(rule.grantee, permission.grantee) &&
      (rule.kind === '*' || rule.kind === permission.kind) &&
      (rule.folder === undefined || permission.kind !== 'Folder' || normaliseFolder(rule.folder) === normaliseFolder(permission.folder)),
  );
}
