import { randomBytes, randomUUID } from 'node:crypto';
import { assertNever } from '../domain/assert-never';
import type { Fixture, FixtureAuditRecord, FixturePermission } from './fixture';
import { FOLDER_TYPES, typeOfName, type MailboxLanguage } from './folders';
import { realism, type Realism } from './realism';

// Everything the local tenant knows and everything it has been asked to do.
// Tests read it to check the effect of a call (and how many calls were made).

export interface TenantUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  alias: string;
  jobTitle?: string;
  department?: string;
  managerId?: string;
}

export interface MailboxState {
  upn: string;
  userId: string;
  displayName: string;
  alias: string;
  type: 'UserMailbox' | 'SharedMailbox';
  /** The stored AuditEnabled property (fact 6: not what decides whether the mailbox is audited). */
  auditEnabled: boolean;
  /** Get-MailboxAuditBypassAssociation AuditBypassEnabled: true = not audited whatever the organization says. */
  auditBypass: boolean;
  /** Language of the default folder names (fact 4). */
  language: MailboxLanguage;
  /** FullAccess holders that are not users: a role group's name, a deleted user's SID (fact 10). */
  otherHolders: Set<string>;
  /** Grantee UPNs (lower case). */
  fullAccess: Set<string>;
  sendAs: Set<string>;
  sendOnBehalf: Set<string>;
  /** Folder (canonical name) -> grantee UPN -> role. */
  folders: Map<string, Map<string, string>>;
}

export interface SentMail {
  from: string;
  to: string[];
  subject: string;
  body: string;
  contentType: string;
  at: number;
}

export interface AuditRecord {
  id: string;
  createdDateTime: string;
  operation: string;
  userPrincipalName: string;
  auditLogRecordType: string;
  objectId?: string;
  auditData: Record<string, unknown>;
  /** When the record becomes searchable (fact 13: records arrive 30 minutes to hours late); absent = at once. */
  availableAt?: number;
}

export interface AuditQuery {
  id: string;
  displayName: string;
  filterStartDateTime: string;
  filterEndDateTime: string;
  recordTypeFilters: string[];
  operationFilters: string[];
  userPrincipalNameFilters: string[];
  objectIdFilters: string[];
  polls: number;
  status: string;
  /** Fixed once the records of a finished query are first read. */
  results?: AuditRecord[];
}

export const KNOWN_FOLDERS = Object.values(FOLDER_TYPES);

export interface PermissionView {
  grantee: string;
  kind: FixturePermission['kind'];
  folder?: string;
  role?: string;
}

export class TenantState {
  readonly tenantId: string;
  readonly domain: string;
  readonly app: {
    clientId: string;
    displayName: string;
    clientSecret: string;
    certificates: string[];
    graphRoles: Set<string>;
    exchangeRoles: Set<string>;
    exchangeRoleAssigned: boolean;
    /** Cmdlets the app's Exchange role does not include (they answer 403, fact 2). */
    forbiddenCmdlets: Set<string>;
    /** The one mailbox the application access policy lets mail permissions reach (fact 14). */
    serviceMailbox: string;
  };
  /** How closely answers follow the real services; tests flip single switches. */
  realism: Realism;
  readonly users = new Map<string, TenantUser>();
  readonly groups = new Map<string, { id: string; displayName: string; members: string[] }>();
  readonly mailboxes = new Map<string, MailboxState>();
  readonly sentMails: SentMail[] = [];
  readonly organization = { auditDisabled: false };
  readonly audit = {
    /** False: creating a query answers 403 as if the permission were missing. */
    available: true,
    /** Status polls that answer "running" before the query finishes. */
    pollsBeforeDone: 1,
    /** How a finished query ends. */
    outcome: 'succeeded' as 'succeeded' | 'failed',
    records: [] as AuditRecord[],
    queries: new Map<string, AuditQuery>(),
    pageSize: 50,
    /** How late the admin records of changes made here become searchable (fact 13). */
    arrivalDelayMs: 0,
  };
  /** The tenant's time (audit records it writes, the age of next-page links); tests point it at their clock. */
  now: () => number = () => Date.now();
  /** Page size of list answers (Graph users, Exchange Get-Mailbox). */
  pageSize = { graphUsers: 100, exchange: 1000 };
  /** How long Exchange next-page links live: the 30-minute default Exchange names (fact 12; exchange-paging.ts). */
  paging = { lifetimeMs: 30 * 60_000 };
  /** Request counts by route tag, e.g. "token", "graph:sendMail", "exchange:Add-MailboxPermission". */
  readonly calls = new Map<string, number>();
  /**
   * When set, request counts by what was asked (an Exchange cmdlet with its mailbox, a Graph method and
   * path, a token request), for tests that check a look-up is made once. Off by default: a sweep asks
   * about every mailbox, and this map would grow with them.
   */
  askedFor?: Map<string, number>;
  /** Successful permission changes per mailbox (UPN, lower case). */
  readonly grantCallsByMailbox = new Map<string, number>();
  readonly revokeCallsByMailbox = new Map<string, number>();

  constructor(fixture: Fixture) {
    this.tenantId = fixture.tenantId;
    this.domain = fixture.domain;
    this.app = {
      clientId: fixture.app.clientId,
      displayName: fixture.app.displayName,
      clientSecret: fixture.app.clientSecret ?? `lt~${randomBytes(24).toString('base64url')}`,
      certificates: [...fixture.app.certificates],
      graphRoles: new Set(fixture.app.graphRoles),
      exchangeRoles: new Set(fixture.app.exchangeRoles),
      exchangeRoleAssigned: fixture.app.exchangeRoleAssigned,
      forbiddenCmdlets: new Set(fixture.app.forbiddenCmdlets),
      serviceMailbox: (fixture.app.serviceMailbox ?? `custodian@${fixture.domain}`).toLowerCase(),
    };
    this.realism = realism();
    for (const u of fixture.users) {
      const upn = u.userPrincipalName.toLowerCase();
      const user: TenantUser = {
        id: u.id.toLowerCase(),
        displayName: u.displayName,
        userPrincipalName: upn,
        mail: u.mailbox ? (u.mail ?? upn).toLowerCase() : (u.mail?.toLowerCase() ?? null),
        alias: upn.split('@')[0],
        jobTitle: u.jobTitle,
        department: u.department,
        managerId: u.managerId?.toLowerCase(),
      };
      this.users.set(user.id, user);
      if (u.mailbox) this.addMailbox(user, u.mailboxType, u.auditEnabled, u.auditBypass, u.language);
    }
    for (let i = 1; i <= fixture.extraMailboxes; i++) {
      const n = String(i).padStart(5, '0');
      const user: TenantUser = {
        id: `e0000000-0000-4000-8000-${n.padStart(12, '0')}`,
        displayName: `Generated User ${n}`,
        userPrincipalName: `user${n}@${this.domain}`,
        mail: `user${n}@${this.domain}`,
        alias: `user${n}`,
      };
      this.users.set(user.id, user);
      this.addMailbox(user, 'UserMailbox', true, false, 'en');
    }
    for (const g of fixture.groups) {
      this.groups.set(g.id.toLowerCase(), {
        id: g.id.toLowerCase(),
        displayName: g.displayName,
        members: g.members.map((m) => m.toLowerCase()),
      });
    }
    for (const p of fixture.permissions) this.seedPermission(p);
    for (const h of fixture.otherHolders) this.seedOtherHolder(h.mailbox, h.holder);
    for (const r of fixture.auditRecords) this.addAuditRecord(r);
  }

  // ---- look-ups -------------------------------------------------------

  userById(id: string): TenantUser | undefined {
    return this.users.get(id.toLowerCase());
  }

  /** By object ID, UPN, mail, alias or display name (as Exchange resolves identities). */
  findUser(identity: string): TenantUser | undefined {
    const key = identity.trim().toLowerCase();
    const byId = this.users.get(key);
    if (byId) return byId;
    for (const u of this.users.values()) {
      if (u.userPrincipalName === key || u.mail === key || u.alias === key || u.displayName.toLowerCase() === key) return u;
    }
    return undefined;
  }

  mailbox(identity: string): MailboxState | undefined {
    const direct = this.mailboxes.get(identity.trim().toLowerCase());
    if (direct) return direct;
    const user = this.findUser(identity);
    return user ? this.mailboxes.get(user.userPrincipalName) : undefined;
  }

  /** Transitive group membership: the group IDs that contain the user, directly or through groups. */
  memberGroupsOf(userId: string): Set<string> {
    const result = new Set<string>();
    const frontier = [userId.toLowerCase()];
    while (frontier.length) {
      const member = frontier.pop()!;
      for (const g of this.groups.values()) {
        if (g.members.includes(member) && !result.has(g.id)) {
          result.add(g.id);
          frontier.push(g.id);
        }
      }
    }
    return result;
  }

  /** A mailbox's non-inherited permissions, in the fixture's vocabulary. */
  permissionsOf(mailbox: string): PermissionView[] {
    const box = this.mailbox(mailbox);
    if (!box) return [];
    const out: PermissionView[] = [];
    for (const h of box.otherHolders) out.push({ grantee: h, kind: 'FullAccess' });
    for (const g of box.fullAccess) out.push({ grantee: g, kind: 'FullAccess' });
    for (const g of box.sendAs) out.push({ grantee: g, kind: 'SendAs' });
    for (const g of box.sendOnBehalf) out.push({ grantee: g, kind: 'SendOnBehalf' });
    for (const [folder, entries] of box.folders) for (const [g, role] of entries) out.push({ grantee: g, kind: 'Folder', folder, role });
    return out;
  }

  grantCalls(mailbox: string): number {
    return this.grantCallsByMailbox.get(mailbox.toLowerCase()) ?? 0;
  }

  revokeCalls(mailbox: string): number {
    return this.revokeCallsByMailbox.get(mailbox.toLowerCase()) ?? 0;
  }

  callCount(tag: string): number {
    return this.calls.get(tag) ?? 0;
  }

  // ---- changes --------------------------------------------------------

  countCall(tag: string): void {
    this.calls.set(tag, (this.calls.get(tag) ?? 0) + 1);
  }

  countAskedFor(what: string): void {
    this.askedFor?.set(what, (this.askedFor.get(what) ?? 0) + 1);
  }

  countChange(kind: 'grant' | 'revoke', mailbox: string): void {
    const map = kind === 'grant' ? this.grantCallsByMailbox : this.revokeCallsByMailbox;
    map.set(mailbox, (map.get(mailbox) ?? 0) + 1);
  }

  addAuditRecord(r: FixtureAuditRecord): AuditRecord {
    const record: AuditRecord = {
      id: r.id ?? randomUUID(),
      createdDateTime: new Date(r.createdDateTime).toISOString(),
      operation: r.operation,
      userPrincipalName: r.userPrincipalName.toLowerCase(),
      auditLogRecordType: r.auditLogRecordType ?? 'exchangeItem',
      objectId: r.objectId,
      auditData: { ...(r.auditData ?? {}), ...(r.mailboxOwnerUPN ? { MailboxOwnerUPN: r.mailboxOwnerUPN } : {}), Operation: r.operation },
    };
    this.audit.records.push(record);
    return record;
  }

  resetCounters(): void {
    this.calls.clear();
    this.askedFor?.clear();
    this.grantCallsByMailbox.clear();
    this.revokeCallsByMailbox.clear();
  }

  private addMailbox(
    user: TenantUser,
    type: MailboxState['type'],
    auditEnabled: boolean,
    auditBypass: boolean,
    language: MailboxLanguage,
  ): void {
    this.mailboxes.set(user.userPrincipalName, {
      upn: user.userPrincipalName,
      userId: user.id,
      displayName: user.displayName,
      alias: user.alias,
      type,
      auditEnabled,
      auditBypass,
      language,
      otherHolders: new Set(),
      fullAccess: new Set(),
      sendAs: new Set(),
      sendOnBehalf: new Set(),
      folders: new Map(),
    });
  }

  /** Whether Exchange audits the mailbox: organization auditing on and the mailbox not bypassed (fact 6). */
  isAudited(box: MailboxState): boolean {
    return !this.organization.auditDisabled && !box.auditBypass;
  }

  /** A FullAccess holder that is no user: "Discovery Management", "S-1-5-21-..." (fact 10). */
  seedOtherHolder(mailbox: string, holder: string): void {
    const box = this.mailbox(mailbox);
    if (!box) throw new Error(`Local tenant fixture: holder on ${mailbox}, which has no mailbox`);
    box.otherHolders.add(holder);
  }

  /** Adds a standing permission (as if granted outside Custodian). */
  seedPermission(p: FixturePermission): void {
    const box = this.mailbox(p.mailbox);
    if (!box) throw new Error(`Local tenant fixture: permission on ${p.mailbox}, which has no mailbox`);
    const grantee = this.findUser(p.grantee);
    if (!grantee) throw new Error(`Local tenant fixture: permission for unknown user ${p.grantee}`);
    const upn = grantee.userPrincipalName;
    const kind = p.kind;
    switch (kind) {
      case 'FullAccess':
        box.fullAccess.add(upn);
        return;
      case 'SendAs':
        box.sendAs.add(upn);
        return;
      case 'SendOnBehalf':
        box.sendOnBehalf.add(upn);
        return;
      case 'Folder': {
        if (p.folder === undefined) throw new Error(`Local tenant fixture: folder permission on ${p.mailbox} without a folder`);
        const type = typeOfName(p.folder, 'en') ?? typeOfName(p.folder, box.language);
        const folder = type ? FOLDER_TYPES[type] : undefined;
        if (!folder) throw new Error(`Local tenant fixture: unknown folder ${p.folder}`);
        if (!box.folders.has(folder)) box.folders.set(folder, new Map());
        box.folders.get(folder)!.set(upn, p.role ?? 'Reviewer');
        return;
      }
      default:
        assertNever(kind, 'permission kind');
    }
  }
}
