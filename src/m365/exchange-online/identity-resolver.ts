import { ExchangeError } from '../exchange';
import { mailboxAnchor, type ExchangeAdminApiClient } from './admin-api-client';

/** The names Exchange may use for one recipient in permission lists. */
export interface RecipientNames {
  upn: string;
  names: Set<string>;
}

const NAME_FIELDS = [
  'UserPrincipalName',
  'PrimarySmtpAddress',
  'WindowsEmailAddress',
  'DisplayName',
  'Name',
  'Alias',
  'ExternalDirectoryObjectId',
  'Guid',
  'Identity',
  'DistinguishedName',
];

/**
 * Permission cmdlets name the holder inconsistently: a UPN (MailboxPermission),
 * a display name (MailboxFolderPermission), a name or alias (GrantSendOnBehalfTo).
 * This resolves a recipient once (Get-Mailbox) and matches any of its names.
 */
export class IdentityResolver {
  private readonly cache = new Map<string, Promise<RecipientNames | null>>();

  constructor(
    private readonly api: ExchangeAdminApiClient,
    /** Routing hint for identities that are not addresses. */
    private readonly fallbackAnchor: string,
  ) {}

  /** Null when Exchange knows no mailbox by that identity. */
  resolve(identity: string): Promise<RecipientNames | null> {
    const key = identity.toLowerCase();
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.lookUp(identity);
      this.cache.set(key, pending);
      // Failures are not remembered: the next call asks again.
      pending.catch(() => this.cache.delete(key));
    }
    return pending;
  }

  /** Whether an identity string from a permission list denotes the recipient. */
  async matches(upn: string, listed: string): Promise<boolean> {
    const wanted = listed.trim().toLowerCase();
    if (wanted === upn.toLowerCase()) return true;
    const names = await this.resolve(upn);
    return names?.names.has(wanted) ?? false;
  }

  /** Best-effort UPN for an identity from a permission list. */
  async toUpn(listed: string): Promise<string> {
    if (listed.includes('@')) return listed.toLowerCase();
    try {
      return (await this.resolve(listed))?.upn ?? listed;
    } catch {
      return listed;
    }
  }

  private async lookUp(identity: string): Promise<RecipientNames | null> {
    try {
      const result = await this.api.run(
        'Mailbox',
        'Get-Mailbox',
        { Identity: identity },
        identity.includes('@') ? mailboxAnchor(identity) : this.fallbackAnchor,
      );
      const mailbox = result.value[0];
      if (!mailbox) return null;
      const names = new Set<string>();
      for (const field of NAME_FIELDS) {
        const v = mailbox[field];
        if (typeof v === 'string' && v) names.add(v.toLowerCase());
      }
      const upn = typeof mailbox.UserPrincipalName === 'string' ? mailbox.UserPrincipalName.toLowerCase() : identity.toLowerCase();
      names.add(upn);
      return { upn, names };
    } catch (err) {
      if (err instanceof ExchangeError && /NotFound|couldn't be found/i.test(`${err.code} ${err.message}`)) return null;
      throw err;
    }
  }
}
