import {
  accessLevelList,
  accessLevelSpec,
  folderForRequest,
  isAccessLevel,
  sweptFolders,
  type GrantMechanism,
} from '../../domain/access-level';
import { assertNever } from '../../domain/assert-never';
import type { Logger } from '../../shared/logger';
import { backoffDelay, realSleep } from '../../shared/retry';
import {
  ExchangeError,
  type ExchangeAdmin,
  type GrantResult,
  type MailboxPermissionEntry,
  type PermissionLimitation,
  type PermissionTarget,
} from '../exchange';
import { appAnchor, mailboxAnchor, type CmdletObject, type ExchangeAdminApiClient } from './admin-api-client';
import { isAlreadyGone, isAlreadyThere, isCommandUnavailable } from './admin-api-errors';
import { FolderResolver, type ResolvedFolder } from './folder-resolver';
import { holderAddress, holderNames, isBuiltIn, isSid, matchHolder } from './holder-identity';
import { IdentityResolver } from './identity-resolver';

export interface ExchangeOnlineAdminOptions {
  api: ExchangeAdminApiClient;
  /** Tenant domain for app-level routing (e.g. contoso.com). */
  tenantDomain: string;
  logger: Logger;
  /** Folders listPermissions inspects (default: every folder an access level defaults to or is fixed on). */
  foldersToScan?: string[];
  /** Reads after a change until Exchange shows it (default 4, waits 1 s, 2 s, 4 s). */
  verifyAttempts?: number;
  verifyBaseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const ADDRESS = /^[^@\s:\\/]+@[^@\s:\\/]+\.[^@\s:\\/]+$/;
const FOLDER = /^[^\\:]{1,255}$/;

/**
 * ExchangeAdmin over the Exchange Online Admin API, one case per grant
 * mechanism of the access-level table:
 * - mailboxPermission: Add-/Remove-/Get-MailboxPermission (beta InvokeCommand), AutoMapping off.
 * - folderPermission: Add-/Remove-/Get-MailboxFolderPermission (v2.0) with the level's role,
 *   on the folder found by its type in the mailbox's language.
 * - sendOnBehalf: Set-Mailbox GrantSendOnBehalfTo add/remove, Get-Mailbox (v2.0).
 * Every change is confirmed by reading it back; "already there" on grant and
 * "nothing to remove" on revoke count as success once the read agrees.
 */
/** How long a presence check's Get-Mailbox may stand in for the listing's, and how many are kept. */
const PRESENCE_REUSE_MS = 10_000;
const MAX_PRESENCE_READS = 1_000;

export class ExchangeOnlineAdmin implements ExchangeAdmin {
  private readonly api: ExchangeAdminApiClient;
  private readonly names: IdentityResolver;
  private readonly folders: FolderResolver;
  private readonly sleep: (ms: number) => Promise<void>;
  /** What listPermissions could not read because the app may not run the cmdlet. */
  private readonly unreadable = new Map<string, PermissionLimitation>();
  /** SendOnBehalf delegates from a presence check's Get-Mailbox, reused once by a permission listing soon after. */
  private readonly presenceReads = new Map<string, { at: number; sendOnBehalf: string[] }>();

  constructor(private readonly options: ExchangeOnlineAdminOptions) {
    this.api = options.api;
    this.names = new IdentityResolver(options.api, appAnchor(options.tenantDomain));
    this.folders = new FolderResolver(options.api, options.logger);
    this.sleep = options.sleep ?? realSleep;
  }

  async grant(target: PermissionTarget): Promise<GrantResult> {
    const t = await this.resolveTarget(target);
    this.presenceReads.delete(t.mailbox.toLowerCase());
    const log = this.options.logger.child({ mailbox: t.mailbox, grantee: t.grantee, access: t.what, folder: t.folder?.name });
    try {
      await this.applyGrant(t);
    } catch (err) {
      if (!isAlreadyThere(err)) throw err;
      log.info('Exchange reports the permission already present');
    }
    await this.confirm(t, true);
    log.info('grant confirmed by Exchange');
    return t.folder ? { folder: t.folder.name } : {};
  }

  async revoke(target: PermissionTarget): Promise<void> {
    return this.revokeResolved(await this.resolveTarget(target));
  }

  private async revokeResolved(t: Resolved): Promise<void> {
    this.presenceReads.delete(t.mailbox.toLowerCase());
    const log = this.options.logger.child({ mailbox: t.mailbox, grantee: t.grantee, access: t.what, folder: t.folder?.name });
    try {
      await this.applyRevoke(t);
    } catch (err) {
      if (!isAlreadyGone(err)) throw err;
      log.info('Exchange reports nothing to remove');
    }
    await this.confirm(t, false);
    log.info('revocation confirmed by Exchange');
  }

  /** Kinds of permission the last reads could not list, and why (e.g. SendAs when Get-RecipientPermission is not in the role). */
  limitations(): PermissionLimitation[] {
    return [...this.unreadable.values()];
  }

  private async resolveTarget(target: PermissionTarget): Promise<Resolved> {
    const { folder, ...t } = checkTarget(target);
    const grant = accessLevelSpec(t.access).grant;
    if (folder === undefined) return { ...t, what: t.access, grant };
    return { ...t, what: t.access, grant, folder: await this.folders.resolve(t.mailbox, folder) };
  }

  async listPermissions(mailbox: string): Promise<MailboxPermissionEntry[]> {
    const box = checkAddress(mailbox, 'mailbox');
    const anchor = mailboxAnchor(box);
    const entries: MailboxPermissionEntry[] = [];

    const full = await this.api.run('InvokeCommand', 'Get-MailboxPermission', { Identity: box }, anchor);
    for (const row of full.value) {
      const user = str(row.User);
      if (!user || isBuiltIn(user) || row.Deny === true || row.IsInherited === true) continue;
      if (!rights(row).includes('fullaccess')) continue;
      // Fact 10: a role group or a deleted user's SID is shown as Exchange names it; Custodian removes only addresses.
      const grantee = isSid(user) ? user : await this.names.toUpn(user);
      entries.push({
        grantee,
        kind: 'FullAccess',
        ...notAUser(grantee),
      });
    }

    try {
      const sendAs = await this.api.run('InvokeCommand', 'Get-RecipientPermission', { Identity: box }, anchor);
      this.unreadable.delete('SendAs');
      for (const row of sendAs.value) {
        const trustee = str(row.Trustee);
        if (!trustee || isBuiltIn(trustee) || row.IsInherited === true || str(row.AccessControlType) === 'Deny') continue;
        if (!rights(row).includes('sendas')) continue;
        const grantee = isSid(trustee) ? trustee : await this.names.toUpn(trustee);
        entries.push({
          grantee,
          kind: 'SendAs',
          ...notAUser(grantee),
        });
      }
    } catch (err) {
      // The app's Exchange role may not include Get-RecipientPermission: the other kinds are still read.
      if (!isCommandUnavailable(err)) throw err;
      this.unreadable.set('SendAs', { kind: 'SendAs', reason: "the app's Exchange role does not include Get-RecipientPermission" });
      this.options.logger.warn({ mailbox: box }, 'Get-RecipientPermission is not available to the app; SendAs not listed');
    }

    // A submit checks presence, then lists: the same Get-Mailbox answers both (never a read-back after a change).
    for (const delegate of this.takePresenceRead(box) ?? (await this.sendOnBehalfList(box))) {
      entries.push({ grantee: await this.names.toUpn(delegate), kind: 'SendOnBehalf' });
    }

    for (const folder of this.options.foldersToScan ?? sweptFolders()) {
      const resolved = await this.folders.resolve(box, folder);
      for (const row of await this.folderRows(box, resolved)) {
        const roles = rights(row);
        if (isBuiltIn(row.User) || roles.length === 0 || roles.every((r) => r === 'none')) continue;
        const grantee = await holderAddress(this.names, row.User);
        if (!grantee) continue;
        // The folder as this mailbox names it ("Innboks"): the name a confirmed grant records too.
        entries.push({
          grantee,
          kind: 'Folder',
          folder: resolved.name,
          role: arrayOf(row.AccessRights).join(','),
          ...notAUser(grantee),
        });
      }
    }
    return entries;
  }

  /**
   * Whether Exchange audits the mailbox. Fact 6 ("Manage mailbox auditing",
   * purview/audit-mailboxes): with auditing on by default the mailbox's
   * AuditEnabled property is ignored and may stay False, so the answer comes
   * from Get-OrganizationConfig AuditDisabled and the mailbox's audit bypass.
   */
  async isAuditEnabled(mailbox: string): Promise<boolean> {
    return (await this.auditStatus(mailbox)).audited;
  }

  async auditStatus(mailbox: string): Promise<{ audited: boolean; reason: string }> {
    const box = checkAddress(mailbox, 'mailbox');
    const [org, bypass] = await Promise.all([
      this.api.run('OrganizationConfig', 'Get-OrganizationConfig', {}, appAnchor(this.options.tenantDomain)),
      this.api.run('InvokeCommand', 'Get-MailboxAuditBypassAssociation', { Identity: box }, mailboxAnchor(box)),
    ]);
    const disabled = org.value[0]?.AuditDisabled;
    if (typeof disabled !== 'boolean')
      throw new ExchangeError('Get-OrganizationConfig did not report AuditDisabled.', 'malformedResponse', false);
    if (disabled) return { audited: false, reason: 'mailbox auditing is turned off for the organization (AuditDisabled)' };
    const row = bypass.value[0];
    if (!row) throw new ExchangeError(`Exchange found no mailbox ${box}.`, 'mailboxNotFound', false);
    if (typeof row.AuditBypassEnabled !== 'boolean')
      throw new ExchangeError(
        `Get-MailboxAuditBypassAssociation for ${box} did not report AuditBypassEnabled.`,
        'malformedResponse',
        false,
      );
    if (row.AuditBypassEnabled) return { audited: false, reason: `${box} is exempt from auditing (an audit bypass association)` };
    return { audited: true, reason: 'audited by default (organization auditing on, no bypass)' };
  }

  /** Whether Exchange has a mailbox for the address (fact 14: not from Graph's mailboxSettings). */
  async hasMailbox(address: string): Promise<boolean> {
    const box = checkAddress(address, 'mailbox');
    let row: CmdletObject | undefined;
    try {
      row = (await this.api.run('Mailbox', 'Get-Mailbox', { Identity: box }, mailboxAnchor(box))).value[0];
    } catch (err) {
      if (err instanceof ExchangeError && /NotFound|couldn't be found/i.test(`${err.code} ${err.message}`)) return false;
      throw err;
    }
    if (!row) return false;
    this.keepPresenceRead(box, arrayOf(row.GrantSendOnBehalfTo));
    return true;
  }

  private keepPresenceRead(mailbox: string, sendOnBehalf: string[]): void {
    const now = Date.now();
    for (const [key, read] of this.presenceReads) if (now - read.at > PRESENCE_REUSE_MS) this.presenceReads.delete(key);
    if (this.presenceReads.size >= MAX_PRESENCE_READS) this.presenceReads.delete(this.presenceReads.keys().next().value!);
    this.presenceReads.set(mailbox.toLowerCase(), { at: now, sendOnBehalf });
  }

  private takePresenceRead(mailbox: string): string[] | undefined {
    const read = this.presenceReads.get(mailbox.toLowerCase());
    this.presenceReads.delete(mailbox.toLowerCase());
    return read && Date.now() - read.at <= PRESENCE_REUSE_MS ? read.sendOnBehalf : undefined;
  }

  async removePermission(mailbox: string, entry: MailboxPermissionEntry): Promise<void> {
    if (entry.removable === false || !ADDRESS.test(entry.grantee.trim())) {
      throw new ExchangeError(
        `${entry.grantee.slice(0, 80)} is not a user (a role group or a deleted account's SID): Custodian does not remove it; an Exchange administrator can.`,
        'notRemovable',
        false,
      );
    }
    const box = checkAddress(mailbox, 'mailbox');
    const grantee = checkAddress(entry.grantee, 'grantee');
    const kind = entry.kind;
    switch (kind) {
      case 'FullAccess':
        return this.revokeResolved({ mailbox: box, grantee, what: kind, grant: { kind: 'mailboxPermission', right: 'FullAccess' } });
      case 'SendOnBehalf':
        return this.revokeResolved({ mailbox: box, grantee, what: kind, grant: { kind: 'sendOnBehalf' } });
      case 'Folder': {
        const folder = checkFolder(entry.folder);
        // Remove-MailboxFolderPermission removes the holder's entry whatever its role; the read-back waits until none is left.
        const grant: GrantMechanism = { kind: 'folderPermission', role: 'Reviewer' };
        const resolved = await this.folders.resolve(box, folder);
        return this.revokeResolved({ mailbox: box, grantee, what: `${entry.role ?? 'a role'} on ${folder}`, grant, folder: resolved });
      }
      case 'SendAs':
        return this.revokeSendAs(box, grantee);
      default:
        return assertNever(kind, 'permission kind');
    }
  }

  /** Every mailbox UPN in the tenant (paged). */
  async listMailboxes(): Promise<string[]> {
    const result = await this.api.run('Mailbox', 'Get-Mailbox', { ResultSize: 'Unlimited' }, appAnchor(this.options.tenantDomain));
    return result.value.map((row) => str(row.UserPrincipalName) ?? str(row.PrimarySmtpAddress)).filter((v): v is string => Boolean(v));
  }

  /** Remove-RecipientPermission (SendAs), confirmed by Get-RecipientPermission -Trustee. */
  private async revokeSendAs(mailbox: string, grantee: string): Promise<void> {
    const box = checkAddress(mailbox, 'mailbox');
    const user = checkAddress(grantee, 'grantee');
    const anchor = mailboxAnchor(box);
    const log = this.options.logger.child({ mailbox: box, grantee: user, access: 'SendAs' });
    try {
      await this.api.run(
        'InvokeCommand',
        'Remove-RecipientPermission',
        { Identity: box, Trustee: user, AccessRights: ['SendAs'], Confirm: false },
        anchor,
      );
    } catch (err) {
      if (!isAlreadyGone(err)) throw err;
      log.info('Exchange reports nothing to remove');
    }
    const attempts = this.options.verifyAttempts ?? 4;
    const base = this.options.verifyBaseDelayMs ?? 1_000;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const rows = (await this.api.run('InvokeCommand', 'Get-RecipientPermission', { Identity: box, Trustee: user }, anchor)).value;
      if (!rows.some((row) => str(row.AccessControlType) !== 'Deny' && rights(row).includes('sendas'))) {
        log.info('revocation confirmed by Exchange');
        return;
      }
      if (attempt < attempts) await this.sleep(backoffDelay(attempt, base, base * 8));
    }
    throw new ExchangeError(
      `Exchange accepted the revocation of SendAs on ${box} for ${user}, but reading it back does not confirm it.`,
      'notConfirmed',
      true,
    );
  }

  private async applyGrant(t: Resolved): Promise<void> {
    const anchor = mailboxAnchor(t.mailbox);
    const grant = t.grant;
    switch (grant.kind) {
      case 'mailboxPermission':
        await this.api.run(
          'InvokeCommand',
          'Add-MailboxPermission',
          {
            Identity: t.mailbox,
            User: t.grantee,
            AccessRights: [grant.right],
            InheritanceType: 'All',
            AutoMapping: false,
            Confirm: false,
          },
          anchor,
        );
        return;
      case 'folderPermission':
        await this.api.run(
          'MailboxFolderPermission',
          'Add-MailboxFolderPermission',
          { Identity: folderIdentity(t), User: t.grantee, AccessRights: [grant.role] },
          anchor,
        );
        return;
      case 'sendOnBehalf':
        await this.api.run('Mailbox', 'Set-Mailbox', { Identity: t.mailbox, GrantSendOnBehalfTo: delta('Add', t.grantee) }, anchor);
        return;
      default:
        return assertNever(grant, 'grant mechanism');
    }
  }

  private async applyRevoke(t: Resolved): Promise<void> {
    const anchor = mailboxAnchor(t.mailbox);
    const grant = t.grant;
    switch (grant.kind) {
      case 'mailboxPermission':
        await this.api.run(
          'InvokeCommand',
          'Remove-MailboxPermission',
          { Identity: t.mailbox, User: t.grantee, AccessRights: [grant.right], InheritanceType: 'All', Confirm: false },
          anchor,
        );
        return;
      case 'folderPermission':
        // Only the documented parameters go to v2.0 (fact 7): no Confirm.
        await this.api.run(
          'MailboxFolderPermission',
          'Remove-MailboxFolderPermission',
          { Identity: folderIdentity(t), User: t.grantee },
          anchor,
        );
        return;
      case 'sendOnBehalf':
        await this.api.run('Mailbox', 'Set-Mailbox', { Identity: t.mailbox, GrantSendOnBehalfTo: delta('Remove', t.grantee) }, anchor);
        return;
      default:
        return assertNever(grant, 'grant mechanism');
    }
  }

  /** Reads until Exchange shows the wanted state; replication can lag a moment. */
  private async confirm(t: Resolved, wantHeld: boolean): Promise<void> {
    const attempts = this.options.verifyAttempts ?? 4;
    const base = this.options.verifyBaseDelayMs ?? 1_000;
    let state: HoldState = 'absent';
    let unknown: string | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const read = await this.holdState(t);
      state = read.state;
      unknown = read.unknown;
      if (wantHeld ? state === 'held' : state === 'absent') return;
      // Another role on the folder is someone else's standing permission: do not touch, do not wait.
      if (wantHeld && state === 'otherRole') break;
      if (attempt < attempts) await this.sleep(backoffDelay(attempt, base, base * 8));
    }
    if (wantHeld && state === 'otherRole') {
      throw new ExchangeError(
        `${t.grantee} already holds a different permission on ${t.mailbox}:\\${t.folder?.name}; it was left unchanged and ${t.grant.kind === 'folderPermission' ? t.grant.role : t.what} was not granted.`,
        'conflictingPermission',
        false,
      );
    }
    const what = wantHeld ? 'grant' : 'revocation';
    // Fact 5: a holder the read-back cannot identify is never taken as "someone else".
    const why = state === 'unknown' ? ` (Exchange lists a holder it does not identify: "${unknown}")` : '';
    throw new ExchangeError(
      `Exchange accepted the ${what} of ${t.what} on ${t.mailbox} for ${t.grantee}, but reading it back does not confirm it${why}.`,
      'notConfirmed',
      true,
    );
  }

  private async holdState(t: Resolved): Promise<{ state: HoldState; unknown?: string }> {
    const anchor = mailboxAnchor(t.mailbox);
    let unknown: string | undefined;
    const rows: { holder: unknown; roles: string[] }[] = [];
    const grant = t.grant;
    // The right a matching row must carry to be this grant; another right on the same folder is someone's standing permission.
    let wanted: string;
    switch (grant.kind) {
      case 'mailboxPermission': {
        wanted = grant.right.toLowerCase();
        const result = await this.api.run('InvokeCommand', 'Get-MailboxPermission', { Identity: t.mailbox, User: t.grantee }, anchor);
        for (const row of result.value)
          if (row.Deny !== true && rights(row).includes(wanted)) rows.push({ holder: row.User, roles: [wanted] });
        break;
      }
      case 'folderPermission':
        wanted = grant.role.toLowerCase();
        for (const row of await this.folderRows(t.mailbox, t.folder!)) {
          const roles = rights(row);
          if (roles.length > 0 && !roles.every((r) => r === 'none')) rows.push({ holder: row.User, roles });
        }
        break;
      case 'sendOnBehalf':
        wanted = 'sendonbehalf';
        for (const delegate of await this.sendOnBehalfList(t.mailbox)) rows.push({ holder: delegate, roles: [wanted] });
        break;
      default:
        return assertNever(grant, 'grant mechanism');
    }
    for (const row of rows) {
      if (isBuiltIn(row.holder)) continue;
      const match = await matchHolder(this.names, t.grantee, row.holder);
      if (match === 'match') return { state: row.roles.includes(wanted) ? 'held' : 'otherRole' };
      if (match === 'unknown') unknown ??= holderNames(row.holder).display ?? JSON.stringify(row.holder).slice(0, 80);
    }
    return unknown ? { state: 'unknown', unknown } : { state: 'absent' };
  }

  private async sendOnBehalfList(mailbox: string): Promise<string[]> {
    const result = await this.api.run('Mailbox', 'Get-Mailbox', { Identity: mailbox }, mailboxAnchor(mailbox));
    const row = result.value[0];
    if (!row) throw new ExchangeError(`Exchange found no mailbox ${mailbox}.`, 'mailboxNotFound', false);
    return arrayOf(row.GrantSendOnBehalfTo);
  }

  private async folderRows(mailbox: string, folder: ResolvedFolder): Promise<CmdletObject[]> {
    const result = await this.api.run(
      'MailboxFolderPermission',
      'Get-MailboxFolderPermission',
      { Identity: `${mailbox}:\\${folder.path}`, ResultSize: 'Unlimited' },
      mailboxAnchor(mailbox),
    );
    return result.value;
  }
}

type HoldState = 'held' | 'absent' | 'otherRole' | 'unknown';

/** A checked target: how Exchange grants it and, for a folder level, the folder as this mailbox names it. */
interface Resolved {
  mailbox: string;
  grantee: string;
  /** What is granted, for logs and messages ("FullAccess", "Editor on Innboks"). */
  what: string;
  grant: GrantMechanism;
  folder?: ResolvedFolder;
}

function checkAddress(value: string, name: string): string {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!ADDRESS.test(v))
    throw new ExchangeError(`The ${name} must be an e-mail address or UPN, got "${String(value).slice(0, 80)}".`, 'invalidInput', false);
  return v;
}

function checkTarget(target: PermissionTarget): PermissionTarget {
  const mailbox = checkAddress(target.mailbox, 'mailbox');
  const grantee = checkAddress(target.grantee, 'grantee');
  if (!isAccessLevel(target.access)) {
    throw new ExchangeError(
      `Unknown access level "${String(target.access).slice(0, 80)}"; expected ${accessLevelList()}.`,
      'invalidInput',
      false,
    );
  }
  if (mailbox === grantee) throw new ExchangeError('A person cannot be granted access to their own mailbox.', 'invalidInput', false);
  const folder = folderForRequest(target.access, target.folder);
  return { mailbox, grantee, access: target.access, ...(folder === undefined ? {} : { folder: checkFolder(folder) }) };
}

function checkFolder(value: string | undefined): string {
  const folder = typeof value === 'string' ? value.trim() : '';
  if (!FOLDER.test(folder))
    throw new ExchangeError(`The folder "${folder.slice(0, 80)}" is not a valid folder name.`, 'invalidInput', false);
  return folder;
}

function folderIdentity(t: Resolved): string {
  if (!t.folder) throw new ExchangeError(`A folder permission needs a folder; none was given for ${t.mailbox}.`, 'invalidInput', false);
  return `${t.mailbox}:\\${t.folder.path}`;
}

/** Holders that are not users (fact 10) are listed but not offered for removal. */
function notAUser(grantee: string): Pick<MailboxPermissionEntry, 'removable' | 'holderKind'> {
  return ADDRESS.test(grantee) ? {} : { removable: false, holderKind: isSid(grantee) ? 'sid' : 'name' };
}

/** Exchange's add/remove form for multi-valued properties. */
function delta(op: 'Add' | 'Remove', value: string): Record<string, unknown> {
  return { '@odata.type': '#Exchange.GenericHashTable', [op]: [value] };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** Fact 3: one element may hold several rights ("FullAccess, ReadPermission"), so every element is split on commas. */
function arrayOf(v: unknown): string[] {
  const items = Array.isArray(v) ? v : [v];
  return items
    .flatMap((x) => (typeof x === 'string' ? x.split(',') : []))
    .map((x) => x.trim())
    .filter(Boolean);
}

function rights(row: CmdletObject): string[] {
  return arrayOf(row.AccessRights).map((r) => r.toLowerCase());
}
