import type { Directory, DirectoryUser, MailboxUser } from '../m365/directory';
import type { Clock } from '../shared/clock';
import type { CachePolicies } from './cache-policies';
import { LookupCache } from './lookup-cache';

/** The directory with its slow answers kept a short while (see cache-policies.ts); Custodian never writes to it. */
export class CachedDirectory implements Directory {
  private readonly users: LookupCache<DirectoryUser | null>;
  private readonly owners: LookupCache<MailboxUser | null>;
  private readonly managers: LookupCache<DirectoryUser | null>;
  private readonly membership: LookupCache<boolean>;

  constructor(
    private readonly inner: Directory,
    policies: CachePolicies,
    clock: Clock,
  ) {
    this.users = new LookupCache(policies.users, clock, (user) => user === null);
    // No mailbox refuses a request just as no user does.
    this.owners = new LookupCache(policies.mailboxOwners, clock, (user) => user === null || !user.hasMailbox);
    this.managers = new LookupCache(policies.managers, clock, (manager) => manager === null);
    this.membership = new LookupCache(policies.roleMembership, clock, (member) => !member);
  }

  findUser(upnOrMail: string): Promise<MailboxUser | null> {
    return this.owners.get(upnOrMail.trim().toLowerCase(), () => this.inner.findUser(upnOrMail));
  }

  getUser(objectId: string): Promise<DirectoryUser | null> {
    return this.users.get(objectId.toLowerCase(), () => this.inner.getUser(objectId));
  }

  getManager(objectId: string): Promise<DirectoryUser | null> {
    return this.managers.get(objectId.toLowerCase(), () => this.inner.getManager(objectId));
  }

  isMemberOf(userObjectId: string, groupObjectId: string): Promise<boolean> {
    const key = `${userObjectId.toLowerCase()} ${groupObjectId.toLowerCase()}`;
    return this.membership.get(key, () => this.inner.isMemberOf(userObjectId, groupObjectId));
  }
}
