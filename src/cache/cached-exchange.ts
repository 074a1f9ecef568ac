import type { ExchangeAdmin, GrantResult, MailboxPermissionEntry, PermissionLimitation, PermissionTarget } from '../m365/exchange';
import type { Clock } from '../shared/clock';
import type { CachePolicies } from './cache-policies';
import { LookupCache } from './lookup-cache';

type AuditStatus = { audited: boolean; reason: string };

/**
 * Exchange with whether a mailbox is audited kept a short while. Permissions
 * are never cached: the standing-access check, read-backs and sweeps need
 * what Exchange holds now; and no change Custodian makes touches auditing.
 */
export class CachedExchange implements ExchangeAdmin {
  private readonly audit: LookupCache<AuditStatus>;

  constructor(
    private readonly inner: ExchangeAdmin,
    policies: CachePolicies,
    clock: Clock,
  ) {
    this.audit = new LookupCache(policies.mailboxAudit, clock, (status) => !status.audited);
  }

  grant(target: PermissionTarget): Promise<GrantResult | void> {
    return this.inner.grant(target);
  }

  revoke(target: PermissionTarget): Promise<void> {
    return this.inner.revoke(target);
  }

  listPermissions(mailbox: string): Promise<MailboxPermissionEntry[]> {
    return this.inner.listPermissions(mailbox);
  }

  async isAuditEnabled(mailbox: string): Promise<boolean> {
    return (await this.auditStatus(mailbox)).audited;
  }

  auditStatus(mailbox: string): Promise<AuditStatus> {
    return this.audit.get(mailbox.trim().toLowerCase(), () => this.inner.auditStatus(mailbox));
  }

  listMailboxes(): Promise<string[]> {
    return this.inner.listMailboxes();
  }

  removePermission(mailbox: string, entry: MailboxPermissionEntry): Promise<void> {
    return this.inner.removePermission(mailbox, entry);
  }

  limitations(): PermissionLimitation[] {
    return this.inner.limitations?.() ?? [];
  }
}
