import { ACCESS_LEVELS } from '../../domain/types';
import type { Logger } from '../../shared/logger';
import { backoffDelay, realSleep } from '../../shared/retry';
import { ExchangeError, type ExchangeAdmin, type MailboxPermissionEntry, type PermissionTarget } from '../exchange';
import { appAnchor, mailboxAnchor, type CmdletObject, type ExchangeAdminApiClient } from './admin-api-client';
import { isAlreadyGone, isAlreadyThere, isCommandUnavailable } from './admin-api-errors';
import { IdentityResolver } from './identity-resolver';

export interface ExchangeOnlineAdminOptions {
  api: ExchangeAdminApiClient;
  /** Tenant domain for app-level routing (e.g. contoso.com). */
  tenantDomain: string;
  logger: Logger;
  /** Folders listPermissions inspects (default: Inbox). */
  foldersToScan?: string[];
  /** Reads after a change until Exchange shows it (default 4, waits 1 s, 2 s, 4 s). */
  verifyAttempts?: number;
  verifyBaseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const FOLDER_ROLE = 'Reviewer';
const ADDRESS = /^[^@\s:\\/]+@[^@\s:\\/]+\.[^@\s:\\/]+$/;
const FOLDER = /^[^\\:]{1,255}$/;
// Holders that are part of every mailbox and never a finding.
const BUILT_IN = /^(NT AUTHORITY\\|S-1-5-|Default$|Anonymous$)/i;

/**
 * ExchangeAdmin over the Exchange Online Admin API.
 * - FullAccess: Add-/Remove-/Get-MailboxPermission (beta InvokeCommand), AutoMapping off.
 * - ReadFolder: Add-/Remove-/Get-MailboxFolderPermission (v2.0), role Reviewer.
 * - SendOnBehalf: Set-Mailbox GrantSendOnBehalfTo add/remove, Get-Mailbox (v2.0).
 * Every change is confirmed by reading it back; "already there" on grant and
 * "nothing to remove" on revoke count as success once the read agrees.
 */
export class ExchangeOnlineAdmin implements ExchangeAdmin {
  private readonly api: ExchangeAdminApiClient;
  private readonly names: IdentityResolver;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ExchangeOnlineAdminOptions) {
    this.api = options.api;
    this.names = new IdentityResolver(options.api, appAnchor(options.tenantDomain));
    this.sleep = options.sleep ?? realSleep;
  }

  async grant(target: PermissionTarget): Promise<void> {
    const t = checkTarget(target);
    const log = this.options.logger.child({ mailbox: t.mailbox, grantee: t.grantee, access: t.access });
    try {
      await this.applyGrant(t);
    } catch (err) {
      if (!isAlreadyThere(err)) throw err;
      log.info('Exchange reports the permission already present');
    }
    await this.confirm(t, true);
    log.info('grant confirmed by Exchange');
  }

  async revoke(target: PermissionTarget): Promise<void> {
    const t = checkTarget(target);
    const log = this.options.logger.child({ mailbox: t.mailbox, grantee: t.grantee, access: t.access });
    try {
      await this.applyRevoke(t);
    } catch (err) {
      if (!isAlreadyGone(err)) throw err;
      log.info('Exchange reports nothing to remove');
    }
    await this.confirm(t, false);
    log.info('revocation confirmed by Exchange');
  }

  async listPermissions(mailbox: string): Promise<MailboxPermissionEntry[]> {
    const box = checkAddress(mailbox, 'mailbox');
    const anchor = mailboxAnchor(box);
    const entries: MailboxPermissionEntry[] = [];

    const full = await this.api.run('InvokeCommand', 'Get-MailboxPermission', { Identity: box }, anchor);
    for (const row of full.value) {
      const user = str(row.User);
      if (!user || BUILT_IN.test(user) || row.Deny === true || row.IsInherited === true) continue;
      if (rights(row).includes('fullaccess')) entries.push({ grantee: await this.names.toUpn(user), kind: 'FullAccess' });
    }

    try {
      const sendAs = await this.api.run('InvokeCommand', 'Get-RecipientPermission', { Identity: box }, anchor);
      for (const row of sendAs.value) {
        const trustee = str(row.Trustee);
        if (!trustee || BUILT_IN.test(trustee) || row.IsInherited === true || str(row.AccessControlType) === 'Deny') continue;
        if (rights(row).includes('sendas')) entries.push({ grantee: await this.names.toUpn(trustee), kind: 'SendAs' });
      }
    } catch (err) {
      // The app's Exchange role may not include Get-RecipientPermission.
      if (!isCommandUnavailable(err)) throw err;
      this.options.logger.warn({ mailbox: box }, 'Get-RecipientPermission is not available to the app; SendAs not listed');
    }

    for (const delegate of await this.sendOnBehalfList(box)) {
      entries.push({ grantee: await this.names.toUpn(delegate), kind: 'SendOnBehalf' });
    }

    for (const folder of this.options.foldersToScan ?? ['Inbox']) {
      for (const row of await this.folderRows(box, folder)) {
        const user = str(row.User);
        const roles = rights(row);
        if (!user || BUILT_IN.test(user) || roles.length === 0 || roles.every((r) => r === 'none')) continue;
        entries.push({ grantee: await this.names.toUpn(user), kind: 'Folder', folder, role: arrayOf(row.AccessRights).join(',') });
      }
    }
    return entries;
  }

  async isAuditEnabled(mailbox: string): Promise<boolean> {
    const box = checkAddress(mailbox, 'mailbox');
    const result = await this.api.run('Mailbox', 'Get-Mailbox', { Identity: box }, mailboxAnchor(box));
    const row = result.value[0];
    if (!row) throw new ExchangeError(`Exchange found no mailbox ${box}.`, 'mailboxNotFound', false);
    if (typeof row.AuditEnabled !== 'boolean') {
      throw new ExchangeError(`Get-Mailbox for ${box} did not report AuditEnabled.`, 'malformedResponse', false);
    }
    return row.AuditEnabled;
  }

  async removePermission(mailbox: string, entry: MailboxPermissionEntry): Promise<void> {
    switch (entry.kind) {
      case 'FullAccess':
        return this.revoke({ mailbox, grantee: entry.grantee, access: 'FullAccess' });
      case 'SendOnBehalf':
        return this.revoke({ mailbox, grantee: entry.grantee, access: 'SendOnBehalf' });
      case 'Folder':
        // Remove-MailboxFolderPermission removes the holder's entry whatever its role.
        return this.revoke({ mailbox, grantee: entry.grantee, access: 'ReadFolder', folder: entry.folder ?? 'Inbox' });
      case 'SendAs':
        return this.revokeSendAs(mailbox, entry.grantee);
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

  private async applyGrant(t: Required<PermissionTarget>): Promise<void> {
    const anchor = mailboxAnchor(t.mailbox);
    switch (t.access) {
      case 'FullAccess':
        await this.api.run(
          'InvokeCommand',
          'Add-MailboxPermission',
          {
            Identity: t.mailbox,
            User: t.grantee,
            AccessRights: ['FullAccess'],
            InheritanceType: 'All',
            AutoMapping: false,
            Confirm: false,
          },
          anchor,
        );
        return;
      case 'ReadFolder':
        await this.api.run(
          'MailboxFolderPermission',
          'Add-MailboxFolderPermission',
          { Identity: folderIdentity(t), User: t.grantee, AccessRights: [FOLDER_ROLE] },
          anchor,
        );
        return;
      case 'SendOnBehalf':
        await this.api.run('Mailbox', 'Set-Mailbox', { Identity: t.mailbox, GrantSendOnBehalfTo: delta('Add', t.grantee) }, anchor);
        return;
    }
  }

  private async applyRevoke(t: Required<PermissionTarget>): Promise<void> {
    const anchor = mailboxAnchor(t.mailbox);
    switch (t.access) {
      case 'FullAccess':
        await this.api.run(
          'InvokeCommand',
          'Remove-MailboxPermission',
          { Identity: t.mailbox, User: t.grantee, AccessRights: ['FullAccess'], InheritanceType: 'All', Confirm: false },
          anchor,
        );
        return;
      case 'ReadFolder':
        await this.api.run(
          'MailboxFolderPermission',
          'Remove-MailboxFolderPermission',
          { Identity: folderIdentity(t), User: t.grantee, Confirm: false },
          anchor,
        );
        return;
      case 'SendOnBehalf':
        await this.api.run('Mailbox', 'Set-Mailbox', { Identity: t.mailbox, GrantSendOnBehalfTo: delta('Remove', t.grantee) }, anchor);
        return;
    }
  }

  /** Reads until Exchange shows the wanted state; replication can lag a moment. */
  private async confirm(t: Required<PermissionTarget>, wantHeld: boolean): Promise<void> {
    const attempts = this.options.verifyAttempts ?? 4;
    const base = this.options.verifyBaseDelayMs ?? 1_000;
    let state: HoldState = 'absent';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      state = await this.holdState(t);
      if (wantHeld ? state === 'held' : state === 'absent') return;
      // Another role on the folder is someone else's standing permission: do not touch, do not wait.
      if (wantHeld && state === 'otherRole') break;
      if (attempt < attempts) await this.sleep(backoffDelay(attempt, base, base * 8));
    }
    if (wantHeld && state === 'otherRole') {
      throw new ExchangeError(
        `${t.grantee} already holds a different permission on ${t.mailbox}:\\${t.folder}; it was left unchanged and ${FOLDER_ROLE} was not granted.`,
        'conflictingPermission',
        false,
      );
    }
    const what = wantHeld ? 'grant' : 'revocation';
    throw new ExchangeError(
      `Exchange accepted the ${what} of ${t.access} on ${t.mailbox} for ${t.grantee}, but reading it back does not confirm it.`,
      'notConfirmed',
      true,
    );
  }

  private async holdState(t: Required<PermissionTarget>): Promise<HoldState> {
    const anchor = mailboxAnchor(t.mailbox);
    switch (t.access) {
      case 'FullAccess': {
        const result = await this.api.run('InvokeCommand', 'Get-MailboxPermission', { Identity: t.mailbox, User: t.grantee }, anchor);
        for (const row of result.value) {
          const user = str(row.User);
          if (row.Deny === true || !user || !(await this.names.matches(t.grantee, user))) continue;
          if (rights(row).includes('fullaccess')) return 'held';
        }
        return 'absent';
      }
      case 'ReadFolder': {
        for (const row of await this.folderRows(t.mailbox, t.folder)) {
          const user = str(row.User);
          if (!user || !(await this.names.matches(t.grantee, user))) continue;
          const roles = rights(row);
          if (roles.length === 0 || roles.every((r) => r === 'none')) continue;
          return roles.includes(FOLDER_ROLE.toLowerCase()) ? 'held' : 'otherRole';
        }
        return 'absent';
      }
      case 'SendOnBehalf': {
        for (const delegate of await this.sendOnBehalfList(t.mailbox)) {
          if (await this.names.matches(t.grantee, delegate)) return 'held';
        }
        return 'absent';
      }
    }
  }

  private async sendOnBehalfList(mailbox: string): Promise<string[]> {
    const result = await this.api.run('Mailbox', 'Get-Mailbox', { Identity: mailbox }, mailboxAnchor(mailbox));
    const row = result.value[0];
    if (!row) throw new ExchangeError(`Exchange found no mailbox ${mailbox}.`, 'mailboxNotFound', false);
    return arrayOf(row.GrantSendOnBehalfTo);
  }

  private async folderRows(mailbox: string, folder: string): Promise<CmdletObject[]> {
    const result = await this.api.run(
      'MailboxFolderPermission',
      'Get-MailboxFolderPermission',
      { Identity: `${mailbox}:\\${folder}`, ResultSize: 'Unlimited' },
      mailboxAnchor(mailbox),
    );
    return result.value;
  }
}

type HoldState = 'held' | 'absent' | 'otherRole';

function checkAddress(value: string, name: string): string {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!ADDRESS.test(v))
    throw new ExchangeError(`The ${name} must be an e-mail address or UPN, got "${String(value).slice(0, 80)}".`, 'invalidInput', false);
  return v;
}

function checkTarget(target: PermissionTarget): Required<PermissionTarget> {
  const mailbox = checkAddress(target.mailbox, 'mailbox');
  const grantee = checkAddress(target.grantee, 'grantee');
  if (!ACCESS_LEVELS.includes(target.access)) {
    throw new ExchangeError(
      `Unknown access level "${String(target.access)}"; expected one of ${ACCESS_LEVELS.join(', ')}.`,
      'invalidInput',
      false,
    );
  }
  if (mailbox === grantee) throw new ExchangeError('A person cannot be granted access to their own mailbox.', 'invalidInput', false);
  const folder = (target.folder ?? 'Inbox').trim();
  if (!FOLDER.test(folder))
    throw new ExchangeError(`The folder "${folder.slice(0, 80)}" is not a valid folder name.`, 'invalidInput', false);
  return { mailbox, grantee, access: target.access, folder };
}

function folderIdentity(t: Required<PermissionTarget>): string {
  return `${t.mailbox}:\\${t.folder}`;
}

/** Exchange's add/remove form for multi-valued properties. */
function delta(op: 'Add' | 'Remove', value: string): Record<string, unknown> {
  return { '@odata.type': '#Exchange.GenericHashTable', [op]: [value] };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function arrayOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.length > 0);
  if (typeof v === 'string' && v)
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

function rights(row: CmdletObject): string[] {
  return arrayOf(row.AccessRights).map((r) => r.toLowerCase());
}
