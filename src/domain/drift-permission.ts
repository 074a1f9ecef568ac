// A permission someone holds on a mailbox, as a sweep reads it, in the
// vocabulary of drift detection (no I/O types: the app maps the connector's
// entries to this).

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

// Holders that are part of every mailbox (the owner's SELF entry, the folder
// defaults, well-known SIDs), never a finding.
const BUILT_IN = /^(NT AUTHORITY\\|Default$|Anonymous$)/i;
// A domain account's SID with a relative ID from 1000 up is a person's account
// that was deleted: a finding, shown as it is (real-tenant.md fact 10). Lower
// relative IDs and the other S-1-5 SIDs are well-known accounts.
const DELETED_ACCOUNT_SID = /^(NT:)?S-1-5-21-\d+-\d+-\d+-(\d+)$/i;

function isWellKnownSid(grantee: string): boolean {
  if (!/^(NT:)?S-1-5-/i.test(grantee)) return false;
  const account = DELETED_ACCOUNT_SID.exec(grantee);
  return !account || Number(account[2]) < 1000;
}

export function isBuiltIn(permission: HeldPermission): boolean {
  const grantee = permission.grantee.trim();
  return BUILT_IN.test(grantee) || isWellKnownSid(grantee) || grantee.toLowerCase() === permission.mailbox.trim().toLowerCase();
}

export function normaliseFolder(folder: string | undefined): string {
  return (folder ?? 'Inbox').trim().replace(/^\\+/, '').toLowerCase();
}

/** One key per (mailbox, holder, kind, folder): findings and allow entries are stored under it. */
export function permissionKey(permission: HeldPermission): string {
  const folder = permission.kind === 'Folder' ? normaliseFolder(permission.folder) : '';
  return [permission.mailbox.trim().toLowerCase(), permission.grantee.trim().toLowerCase(), permission.kind, folder].join('|');
}

/** "FullAccess", "SendAs", "SendOnBehalf" or "Reviewer on Inbox". */
export function describeHeld(permission: HeldPermission): string {
  return permission.kind === 'Folder' ? `${permission.role ?? 'a role'} on ${permission.folder ?? 'Inbox'}` : permission.kind;
}
