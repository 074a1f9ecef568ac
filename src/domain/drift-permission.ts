// A permission someone holds on a mailbox, as a sweep reads it, in the
// vocabulary of drift detection (no I/O types: the app maps the connector's
// entries to this).

import { isBuiltInHolder } from './built-in-holder';

export const HELD_KINDS = ['FullAccess', 'SendAs', 'SendOnBehalf', 'Folder'] as const;
export type HeldKind = (typeof HELD_KINDS)[number];

export interface HeldPermission {
  /** Mailbox address, lower case. */
  mailbox: string;
  /** Holder's UPN (lower case), or the name Exchange gave when it could not be resolved. */
  grantee: string;
  kind: HeldKind;
  /** Folder permissions: the folder and the role (e.g. Inbox, Reviewer). */
  folder?: string;
  role?: string;
}

/** Built-in holders (one rule with the Exchange connector) and the owner's own entry are never a finding. */
export function isBuiltIn(permission: HeldPermission): boolean {
  const grantee = permission.grantee.trim();
  return isBuiltInHolder(grantee) || grantee.toLowerCase() === permission.mailbox.trim().toLowerCase();
}

export function normaliseFolder(folder: string | undefined): string {
  return (folder ?? '').trim().replace(/^\\+/, '').toLowerCase();
}

/** One key per (mailbox, holder, kind, folder): findings and allow entries are stored under it. */
export function permissionKey(permission: HeldPermission): string {
  const folder = permission.kind === 'Folder' ? normaliseFolder(permission.folder) : '';
  return [permission.mailbox.trim().toLowerCase(), permission.grantee.trim().toLowerCase(), permission.kind, folder].join('|');
}

/** "FullAccess", "SendAs", "SendOnBehalf" or "Reviewer on Inbox". */
export function describeHeld(permission: HeldPermission): string {
  return permission.kind === 'Folder' ? `${permission.role ?? 'a role'} on ${permission.folder ?? 'a folder'}` : permission.kind;
}
