import type { AccessLevel } from '../domain/types';

export interface PermissionTarget {
  /** Mailbox UPN / primary SMTP address. */
  mailbox: string;
  /** Grantee UPN. */
  grantee: string;
  access: AccessLevel;
  /** For ReadFolder: the folder (default "Inbox"). */
  folder?: string;
}

/** One permission a person holds on a mailbox, as Exchange reports it. */
export interface MailboxPermissionEntry {
  grantee: string;
  kind: 'FullAccess' | 'SendAs' | 'SendOnBehalf' | 'Folder';
  /** Folder permission: folder and role (e.g. Inbox / Reviewer). */
  folder?: string;
  role?: string;
}

/** Thrown when Exchange refused or the call could not be confirmed. */
export class ExchangeError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'ExchangeError';
  }
}

/**
 * Exchange Online mailbox permissions. Grants and revocations are idempotent:
 * granting what is already held, or revoking what is already gone, succeeds.
 * A call resolves only when Exchange confirmed it.
 */
export interface ExchangeAdmin {
  grant(target: PermissionTarget): Promise<void>;
  revoke(target: PermissionTarget): Promise<void>;
  listPermissions(mailbox: string): Promise<MailboxPermissionEntry[]>;
  isAuditEnabled(mailbox: string): Promise<boolean>;
  /** Every mailbox address in the tenant (read page by page), for drift sweeps. */
  listMailboxes(): Promise<string[]>;
  /**
   * Removes one permission as listPermissions reported it (any kind, including
   * SendAs and folder roles other than Reviewer); idempotent and confirmed by a read-back, like revoke.
   */
  removePermission(mailbox: string, entry: MailboxPermissionEntry): Promise<void>;
}
