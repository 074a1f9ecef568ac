import type { AccessLevel } from '../domain/types';

export interface PermissionTarget {
  /** Mailbox UPN / primary SMTP address. */
  mailbox: string;
  /** Grantee UPN. */
  grantee: string;
  access: AccessLevel;
  /** For a folder level: the folder (the level's default or fixed folder when absent; see access-level.ts). */
  folder?: string;
}

/** One permission a person holds on a mailbox, as Exchange reports it. */
export interface MailboxPermissionEntry {
  /** An address; or, for holders that are not users (fact 10), the name or SID Exchange shows. */
  grantee: string;
  kind: 'FullAccess' | 'SendAs' | 'SendOnBehalf' | 'Folder';
  /** Folder permission: folder as the mailbox names it (Inbox, or Innboks in a Norwegian mailbox) and role (Reviewer). */
  folder?: string;
  role?: string;
  /** False: Custodian cannot remove it (a role group, a deleted user's SID); it is shown, not offered for removal. */
  removable?: false;
  holderKind?: 'sid' | 'name';
}

/** A kind of permission that could not be read, e.g. SendAs when Get-RecipientPermission is not in the app's role. */
export interface PermissionLimitation {
  kind: MailboxPermissionEntry['kind'];
  reason: string;
}

/** What a confirmed grant landed on. */
export interface GrantResult {
  /** For a folder level: the folder as the mailbox names it ("Innboks" for Inbox in a Norwegian mailbox). */
  folder?: string;
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
  grant(target: PermissionTarget): Promise<GrantResult | void>;
  revoke(target: PermissionTarget): Promise<void>;
  listPermissions(mailbox: string): Promise<MailboxPermissionEntry[]>;
  isAuditEnabled(mailbox: string): Promise<boolean>;
  /** Whether Exchange audits the mailbox, and why (organization setting, audit bypass). */
  auditStatus(mailbox: string): Promise<{ audited: boolean; reason: string }>;
  /** Every mailbox address in the tenant (read page by page), for drift sweeps. */
  listMailboxes(): Promise<string[]>;
  /**
   * Removes one permission as listPermissions reported it (any kind, including
   * SendAs and folder roles other than Reviewer); idempotent and confirmed by a read-back, like revoke.
   */
  removePermission(mailbox: string, entry: MailboxPermissionEntry): Promise<void>;
  /** Kinds of permission the reads could not list because the app may not run the cmdlet, and why. */
  limitations?(): PermissionLimitation[];
}
