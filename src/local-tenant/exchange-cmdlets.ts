import { createHash } from 'node:crypto';
import { FOLDER_TYPES, localName, typeOfName, type MailboxLanguage } from './folders';
import type { MailboxState, TenantState, TenantUser } from './state';

// Exchange cmdlets over the tenant state, with the error types and texts that
// Exchange Online uses, so that client code meets the same answers.

export class CmdletFailure extends Error {
  constructor(
    readonly status: number,
    readonly exceptionType: string,
    text: string,
  ) {
    super(text);
  }
}

export interface CmdletOutput {
  /** null: the cmdlet outputs nothing (Set-, Add-, Remove- cmdlets); the route decides how that looks on the wire (fact 1). */
  value: Record<string, unknown>[] | null;
  warnings: string[];
}

const NO_OUTPUT: CmdletOutput = { value: null, warnings: [] };

type Params = Record<string, unknown>;

interface CmdletDefinition {
  parameters: string[];
  run(p: Params, state: TenantState): CmdletOutput;
}

const NOT_FOUND = 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException';
const DC = 'AM0PR01A001DC01.EURPR01A001.PROD.OUTLOOK.COM';
const FOLDER_ROLES = [
  'None',
  'Owner',
  'PublishingEditor',
  'Editor',
  'PublishingAuthor',
  'Author',
  'NonEditingAuthor',
  'Reviewer',
  'Contributor',
  'AvailabilityOnly',
  'LimitedDetails',
];

function objectNotFound(identity: string): CmdletFailure {
  return new CmdletFailure(
    404,
    NOT_FOUND,
    `The operation couldn't be performed because object '${identity}' couldn't be found on '${DC}'.`,
  );
}

function requireString(p: Params, name: string): string {
  const v = p[name];
  if (typeof v !== 'string' || !v.trim()) {
    throw new CmdletFailure(
      400,
      'System.Management.Automation.ParameterBindingException',
      `Cannot bind argument to parameter '${name}' because it is null or empty.`,
    );
  }
  return v.trim();
}

function mailboxOf(identity: string, state: TenantState): MailboxState {
  const box = state.mailbox(identity);
  if (!box) throw objectNotFound(identity);
  return box;
}

function userOf(identity: string, state: TenantState): TenantUser {
  const user = state.findUser(identity);
  if (!user) throw objectNotFound(identity);
  return user;
}

function listOf(v: unknown, name: string): string[] {
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new CmdletFailure(
    400,
    'System.Management.Automation.ParameterBindingException',
    `Cannot process argument transformation on parameter '${name}'.`,
  );
}

function guidFor(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function mailboxRow(box: MailboxState, state: TenantState): Record<string, unknown> {
  const delegates = [...box.sendOnBehalf].map((upn) => state.findUser(upn)?.alias ?? upn);
  return {
    Name: box.alias,
    Alias: box.alias,
    DisplayName: box.displayName,
    Identity: box.alias,
    UserPrincipalName: box.upn,
    PrimarySmtpAddress: box.upn,
    WindowsEmailAddress: box.upn,
    ExternalDirectoryObjectId: box.userId,
    Guid: guidFor(box.upn),
    ExchangeGuid: guidFor(`x:${box.upn}`),
    DistinguishedName: `CN=${box.alias},OU=${state.domain},OU=Microsoft Exchange Hosted Organizations,DC=EURPR01A001,DC=PROD,DC=OUTLOOK,DC=COM`,
    RecipientType: 'UserMailbox',
    RecipientTypeDetails: box.type,
    // Fact 6: the stored property, not whether the mailbox is audited (purview/audit-mailboxes).
    AuditEnabled: state.realism.auditEnabledAsStored ? box.auditEnabled : state.isAudited(box),
    'GrantSendOnBehalfTo@odata.type': '#Collection(String)',
    GrantSendOnBehalfTo: delegates,
  };
}

function languageOf(box: MailboxState, state: TenantState): MailboxLanguage {
  return state.realism.localizedFolders ? box.language : 'en';
}

/**
 * `alex@contoso.com:\\Inbox` -> mailbox and canonical folder. The folder must be
 * named as the mailbox names it: `kari@contoso.com:\\Inbox` is not found when her
 * inbox is "Innboks" (fact 4, ManagementObjectNotFoundException).
 */
function folderTarget(identity: string, state: TenantState): { box: MailboxState; folder: string } {
  const at = identity.indexOf(':\\');
  if (at <= 0) {
    throw new CmdletFailure(
      400,
      'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
      `The folder identity '${identity}' must have the form <mailbox>:\\<folder>.`,
    );
  }
  const box = mailboxOf(identity.slice(0, at), state);
  const type = typeOfName(identity.slice(at + 2), languageOf(box, state));
  if (!type) throw new CmdletFailure(404, NOT_FOUND, `The operation couldn't be performed because '${identity}' couldn't be found.`);
  return { box, folder: FOLDER_TYPES[type] };
}

/** The holder of a folder permission as Get-MailboxFolderPermission names it (fact 5). */
function folderHolder(upn: string, state: TenantState): unknown {
  const user = state.findUser(upn);
  const box = state.mailbox(upn);
  switch (state.realism.folderHolder) {
    case 'address':
      return upn;
    case 'displayName':
      return user?.displayName ?? upn;
    case 'object':
      // As public scripts read it since mid-2024: User.DisplayName, User.UserType.Value, User.RecipientPrincipal.PrimarySmtpAddress / .Guid.
      return {
        DisplayName: user?.displayName ?? upn,
        UserType: { Value: 'Internal' },
        RecipientPrincipal: {
          DisplayName: user?.displayName ?? upn,
          PrimarySmtpAddress: upn,
          Alias: user?.alias ?? upn,
          Guid: guidFor(upn),
          ExternalDirectoryObjectId: user?.id ?? null,
          RecipientTypeDetails: box?.type ?? 'UserMailbox',
        },
      };
  }
}

function holderName(holder: unknown): string {
  if (typeof holder === 'string') return holder;
  const displayName = (holder as { DisplayName?: unknown }).DisplayName;
  return typeof displayName === 'string' ? displayName : '';
}

function folderRows(box: MailboxState, folder: string, state: TenantState): Record<string, unknown>[] {
  const type = Object.keys(FOLDER_TYPES).find((t) => FOLDER_TYPES[t] === folder);
  if (!type) throw new Error(`Local tenant: no folder type for ${folder}`);
  const name = localName(type, languageOf(box, state));
  const identity = `${box.upn}:\\${name}`;
  const builtIn = (who: string) =>
    state.realism.folderHolder === 'object' ? { DisplayName: who, UserType: { Value: who }, RecipientPrincipal: null } : who;
  const rows: Record<string, unknown>[] = [
    {
      Identity: identity,
      FolderName: name,
      User: builtIn('Default'),
      AccessRights: [folder === 'Calendar' ? 'AvailabilityOnly' : 'None'],
      SharingPermissionFlags: null,
      IsValid: true,
    },
    {
      Identity: identity,
      FolderName: name,
      User: builtIn('Anonymous'),
      AccessRights: ['None'],
      SharingPermissionFlags: null,
      IsValid: true,
    },
  ];
  for (const [upn, role] of box.folders.get(folder) ?? []) {
    rows.push({
      Identity: identity,
      FolderName: name,
      User: folderHolder(upn, state),
      AccessRights: [role],
      SharingPermissionFlags: null,
      IsValid: true,
    });
  }
  return rows;
}

/** Get-MailboxFolderStatistics rows for one well-known folder type (fact 4; CIPP finds the calendar this way). */
function folderStatistics(box: MailboxState, scope: string, state: TenantState): Record<string, unknown>[] {
  const type = Object.keys(FOLDER_TYPES).find((t) => t.toLowerCase() === scope.toLowerCase());
  if (!type || type === 'Root') {
    throw new CmdletFailure(
      400,
      'System.Management.Automation.ParameterBindingException',
      `Cannot process argument transformation on parameter 'FolderScope'. Cannot convert value "${scope}" to type "Microsoft.Exchange.Data.Directory.SystemConfiguration.ElcFolderType".`,
    );
  }
  const name = localName(type, languageOf(box, state));
  return [
    {
      Name: name,
      FolderPath: `/${name}`,
      FolderType: type,
      Identity: `${box.upn}\\${name}`,
      FolderId: `LgAAAA${guidFor(`${box.upn}/${type}`).replace(/-/g, '')}`,
      ItemsInFolder: 0,
      FolderSize: '0 B (0 bytes)',
    },
  ];
}

function fullAccessRow(box: MailboxState, user: string, rights: string[]): Record<string, unknown> {
  return { Identity: box.alias, User: user, AccessRights: rights, IsInherited: false, Deny: false, InheritanceType: 'All' };
}

/** Fact 3: one element may hold several rights, "FullAccess, ReadPermission" (graph2otel mailbox-delegation capture). */
function rightsOf(rights: string[], state: TenantState): string[] {
  return state.realism.combinedRights ? [rights.join(', ')] : rights;
}

const NOT_MODIFIED = (identity: string) => `The command completed successfully but no settings of '${identity}' have been modified.`;

function checkFullAccessRights(p: Params): void {
  const rights = listOf(p.AccessRights ?? [], 'AccessRights');
  if (rights.length !== 1 || rights[0].toLowerCase() !== 'fullaccess') {
    throw new CmdletFailure(
      400,
      'System.Management.Automation.ParameterBindingException',
      `This local tenant models only AccessRights FullAccess, got '${rights.join(',')}'.`,
    );
  }
}

function hashtable(v: unknown, name: string): { add: string[]; remove: string[] } | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const table = v as Record<string, unknown>;
  if (table['@odata.type'] !== '#Exchange.GenericHashTable') {
    throw new CmdletFailure(
      400,
      'System.Management.Automation.ParameterBindingException',
      `Cannot convert the value of parameter '${name}': a hashtable needs "@odata.type": "#Exchange.GenericHashTable".`,
    );
  }
  const out = { add: [] as string[], remove: [] as string[] };
  for (const [key, value] of Object.entries(table)) {
    if (key === '@odata.type') continue;
    const k = key.toLowerCase();
    if (k !== 'add' && k !== 'remove')
      throw new CmdletFailure(
        400,
        'System.Management.Automation.ParameterBindingException',
        `Unknown hashtable key '${key}' for parameter '${name}'; use Add or Remove.`,
      );
    out[k].push(...listOf(value, name));
  }
  return out;
}

export const CMDLETS: Record<string, CmdletDefinition> = {
  'Get-Mailbox': {
    parameters: ['Identity', 'ResultSize', 'IncludeGrantSendOnBehalfToWithDisplayNames'],
    run(p, state) {
      if (p.Identity !== undefined) return { value: [mailboxRow(mailboxOf(requireString(p, 'Identity'), state), state)], warnings: [] };
      const size = p.ResultSize === undefined || p.ResultSize === 'Unlimited' ? Infinity : Number(p.ResultSize);
      if (!(size > 0))
        throw new CmdletFailure(400, 'System.Management.Automation.ParameterBindingException', "Cannot bind parameter 'ResultSize'.");
      return { value: [...state.mailboxes.values()].slice(0, size).map((b) => mailboxRow(b, state)), warnings: [] };
    },
  },
  'Set-Mailbox': {
    parameters: ['Identity', 'GrantSendOnBehalfTo', 'AuditEnabled', 'Confirm'],
    run(p, state) {
      const box = mailboxOf(requireString(p, 'Identity'), state);
      const before = [...box.sendOnBehalf].sort().join(',');
      const auditBefore = box.auditEnabled;
      if (p.GrantSendOnBehalfTo !== undefined) {
        const delta = hashtable(p.GrantSendOnBehalfTo, 'GrantSendOnBehalfTo');
        if (delta) {
          const add = delta.add.map((i) => userOf(i, state).userPrincipalName);
          const remove = delta.remove.map((i) => userOf(i, state).userPrincipalName);
          add.forEach((u) => box.sendOnBehalf.add(u));
          remove.forEach((u) => box.sendOnBehalf.delete(u));
          if (add.length) state.countChange('grant', box.upn);
          if (remove.length) state.countChange('revoke', box.upn);
        } else {
          const all = listOf(p.GrantSendOnBehalfTo, 'GrantSendOnBehalfTo').map((i) => userOf(i, state).userPrincipalName);
          box.sendOnBehalf = new Set(all);
          state.countChange('grant', box.upn);
        }
      }
      if (typeof p.AuditEnabled === 'boolean') box.auditEnabled = p.AuditEnabled;
      // Fact 1: Set-Mailbox outputs nothing; a change that changes nothing says so in a warning.
      const unchanged = before === [...box.sendOnBehalf].sort().join(',') && auditBefore === box.auditEnabled;
      return { value: null, warnings: unchanged ? [NOT_MODIFIED(box.alias)] : [] };
    },
  },
  'Get-MailboxPermission': {
    parameters: ['Identity', 'User', 'ResultSize'],
    run(p, state) {
      const box = mailboxOf(requireString(p, 'Identity'), state);
      if (p.User !== undefined) {
        const user = userOf(requireString(p, 'User'), state).userPrincipalName;
        return { value: box.fullAccess.has(user) ? [fullAccessRow(box, user, ['FullAccess'])] : [], warnings: [] };
      }
      const rows = [fullAccessRow(box, 'NT AUTHORITY\\SELF', rightsOf(['FullAccess', 'ReadPermission'], state))];
      for (const g of box.fullAccess) rows.push(fullAccessRow(box, g, ['FullAccess']));
      // Fact 10: role groups and deleted users' SIDs hold FullAccess as they are named.
      for (const h of box.otherHolders) rows.push(fullAccessRow(box, h, rightsOf(['FullAccess', 'ReadPermission'], state)));
      return { value: rows, warnings: [] };
    },
  },
  'Add-MailboxPermission': {
    parameters: ['Identity', 'User', 'AccessRights', 'InheritanceType', 'AutoMapping', 'Confirm'],
    run(p, state) {
      const box = mailboxOf(requireString(p, 'Identity'), state);
      const user = userOf(requireString(p, 'User'), state).userPrincipalName;
      checkFullAccessRights(p);
      box.fullAccess.add(user);
      state.countChange('grant', box.upn);
      return NO_OUTPUT;
    },
  },
  'Remove-MailboxPermission': {
    parameters: ['Identity', 'User', 'AccessRights', 'InheritanceType', 'Confirm'],
    run(p, state) {
      const box = mailboxOf(requireString(p, 'Identity'), state);
      const user = userOf(requireString(p, 'User'), state).userPrincipalName;
      checkFullAccessRights(p);
      state.countChange('revoke', box.upn);
      if (!box.fullAccess.delete(user)) {
        return {
          value: null,
          warnings: [
            `Can't remove the access control entry on the object "${box.alias}" for account "${user}" because the ACE doesn't exist on the object.`,
          ],
        };
      }
      return NO_OUTPUT;
    },
  },
  'Get-RecipientPermission': {
    parameters: ['Identity', 'Trustee', 'ResultSize'],
    run(p, state) {
      const box = mailboxOf(requireString(p, 'Identity'), state);
      const row = (trustee: string) => ({
        Identity: box.alias,
        Trustee: trustee,
        AccessControlType: 'Allow',
        AccessRights: ['SendAs'],
        IsInherited: false,
        InheritanceType: 'None',
      });
      if (p.Trustee !== undefined) {
        const user = userOf(requireString(p, 'Trustee'), state).userPrincipalName;
        return { value: box.sendAs.has(user) ? [row(user)] : [], warnings: [] };
      }
      return { value: [row('NT AUTHORITY\\SELF'), ...[...box.sendAs].map(row)], warnings: [] };
    },
  },
  'Remove-RecipientPermission': {
    parameters: ['Identity', 'Trustee', 'AccessRights', 'Confirm'],
    run(p, state) {
      const box = mailboxOf(requireString(p, 'Identity'), state);
      const user = userOf(requireString(p, 'Trustee'), state).userPrincipalName;
      const rights = listOf(p.AccessRights ?? [], 'AccessRights');
      if (rights.length !== 1 || rights[0].toLowerCase() !== 'sendas') {
        throw new CmdletFailure(
          400,
          'System.Management.Automation.ParameterBindingException',
          `This local tenant models only AccessRights SendAs, got '${rights.join(',')}'.`,
        );
      }
      state.countChange('revoke', box.upn);
      if (!box.sendAs.delete(user)) {
        return {
          value: null,
          warnings: [
            `Can't remove the access control entry on the object "${box.alias}" for account "${user}" because the ACE doesn't exist on the object.`,
          ],
        };
      }
      return NO_OUTPUT;
    },
  },
  'Get-MailboxFolderPermission': {
    parameters: ['Identity', 'User', 'ResultSize'],
    run(p, state) {
      const { box, folder } = folderTarget(requireString(p, 'Identity'), state);
      const rows = folderRows(box, folder, state);
      if (p.User === undefined) return { value: rows, warnings: [] };
      const user = userOf(requireString(p, 'User'), state);
      const mine = rows.filter((r) => holderName(r.User) === user.displayName || r.User === user.userPrincipalName);
      if (mine.length === 0) {
        throw new CmdletFailure(
          400,
          'Microsoft.Exchange.Management.StoreTasks.UserNotFoundInPermissionEntryException',
          `There is no existing permission entry found for user: ${user.displayName}.`,
        );
      }
      return { value: mine, warnings: [] };
    },
  },
  'Add-MailboxFolderPermission': {
    parameters: ['Identity', 'User', 'AccessRights', 'SharingPermissionFlags', 'SendNotificationToUser', 'Confirm'],
    run(p, state) {
      const { box, folder } = folderTarget(requireString(p, 'Identity'), state);
      const user = userOf(requireString(p, 'User'), state);
      const role = folderRole(p);
      const entries = box.folders.get(folder) ?? new Map<string, string>();
      state.countChange('grant', box.upn);
      if (entries.has(user.userPrincipalName)) {
        throw new CmdletFailure(
          400,
          'Microsoft.Exchange.Management.StoreTasks.UserAlreadyExistsInPermissionEntryException',
          `An existing permission entry was found for user: ${user.displayName}.`,
        );
      }
      entries.set(user.userPrincipalName, role);
      box.folders.set(folder, entries);
      return NO_OUTPUT;
    },
  },
  'Set-MailboxFolderPermission': {
    parameters: ['Identity', 'User', 'AccessRights', 'SharingPermissionFlags', 'SendNotificationToUser', 'Confirm'],
    run(p, state) {
      const { box, folder } = folderTarget(requireString(p, 'Identity'), state);
      const user = userOf(requireString(p, 'User'), state);
      const entries = box.folders.get(folder);
      if (!entries?.has(user.userPrincipalName)) {
        throw new CmdletFailure(
          400,
          'Microsoft.Exchange.Management.StoreTasks.UserNotFoundInPermissionEntryException',
          `There is no existing permission entry found for user: ${user.displayName}.`,
        );
      }
      entries.set(user.userPrincipalName, folderRole(p));
      state.countChange('grant', box.upn);
      return NO_OUTPUT;
    },
  },
  'Remove-MailboxFolderPermission': {
    parameters: ['Identity', 'User', 'Confirm', 'SendNotificationToUser'],
    run(p, state) {
      const { box, folder } = folderTarget(requireString(p, 'Identity'), state);
      const user = userOf(requireString(p, 'User'), state);
      state.countChange('revoke', box.upn);
      const entries = box.folders.get(folder);
      if (!entries?.delete(user.userPrincipalName)) {
        throw new CmdletFailure(
          400,
          'Microsoft.Exchange.Management.StoreTasks.UserNotFoundInPermissionEntryException',
          `There is no existing permission entry found for user: ${user.displayName}.`,
        );
      }
      return NO_OUTPUT;
    },
  },
  'Get-MailboxFolderStatistics': {
    parameters: ['Identity', 'FolderScope', 'ResultSize'],
    run(p, state) {
      const box = mailboxOf(requireString(p, 'Identity'), state);
      return { value: folderStatistics(box, requireString(p, 'FolderScope'), state), warnings: [] };
    },
  },
  'Get-Recipient': {
    parameters: ['Identity', 'ResultSize'],
    run(p, state) {
      // Any recipient, users and groups alike, by name, address or ID
      // (learn.microsoft.com/powershell/module/exchangepowershell/get-recipient).
      const identity = requireString(p, 'Identity');
      const user = state.findUser(identity);
      if (user) {
        const box = state.mailbox(user.userPrincipalName);
        return {
          value: [
            {
              Name: user.alias,
              DisplayName: user.displayName,
              PrimarySmtpAddress: user.mail ?? '',
              RecipientType: box ? 'UserMailbox' : 'User',
              RecipientTypeDetails: box?.type ?? 'User',
              ExternalDirectoryObjectId: user.id,
            },
          ],
          warnings: [],
        };
      }
      const key = identity.toLowerCase();
      const group = [...state.groups.values()].find((g) => g.id === key || g.displayName.toLowerCase() === key);
      if (!group) throw objectNotFound(identity);
      return {
        value: [
          {
            Name: group.displayName,
            DisplayName: group.displayName,
            PrimarySmtpAddress: '',
            RecipientType: 'MailUniversalSecurityGroup',
            RecipientTypeDetails: 'MailUniversalSecurityGroup',
            ExternalDirectoryObjectId: group.id,
          },
        ],
        warnings: [],
      };
    },
  },
  'Get-MailboxAuditBypassAssociation': {
    parameters: ['Identity', 'ResultSize'],
    run(p, state) {
      // Fact 6: a bypassed mailbox is not audited whatever the organization setting.
      const box = mailboxOf(requireString(p, 'Identity'), state);
      return { value: [{ Name: box.alias, Identity: box.alias, AuditBypassEnabled: box.auditBypass, IsValid: true }], warnings: [] };
    },
  },
  'Get-OrganizationConfig': {
    parameters: [],
    run(_p, state) {
      return {
        value: [
          {
            Name: state.domain,
            Identity: state.domain,
            DisplayName: state.domain,
            AuditDisabled: state.organization.auditDisabled,
            MailTipsAllTipsEnabled: true,
            MailTipsLargeAudienceThreshold: 25,
          },
        ],
        warnings: [],
      };
    },
  },
};

function folderRole(p: Params): string {
  const rights = listOf(p.AccessRights, 'AccessRights');
  const role = FOLDER_ROLES.find((r) => rights.length === 1 && r.toLowerCase() === rights[0].toLowerCase());
  if (!role) {
    throw new CmdletFailure(
      400,
      'System.Management.Automation.ParameterBindingException',
      `Cannot process argument transformation on parameter 'AccessRights'. '${rights.join(',')}' is not a folder role.`,
    );
  }
  return role;
}

/**
 * Cmdlets each documented v2.0 endpoint accepts, with the parameters its page
 * documents (learn.microsoft.com/exchange/reference/admin-api-endpoints-mailbox,
 * -mailbox-folder-permission, -organization-config). Fact 7: anything more is
 * refused; InvokeCommand accepts every parameter of the cmdlet.
 */
export const ENDPOINT_CMDLETS: Record<string, Record<string, string[]>> = {
  Mailbox: {
    'Get-Mailbox': ['Identity', 'ResultSize', 'IncludeGrantSendOnBehalfToWithDisplayNames'],
    'Set-Mailbox': ['Identity', 'GrantSendOnBehalfTo'],
  },
  MailboxFolderPermission: {
    'Get-MailboxFolderPermission': ['Identity', 'ResultSize'],
    'Add-MailboxFolderPermission': ['Identity', 'User', 'AccessRights', 'SharingPermissionFlags', 'SendNotificationToUser'],
    'Set-MailboxFolderPermission': ['Identity', 'User', 'AccessRights', 'SharingPermissionFlags', 'SendNotificationToUser'],
    'Remove-MailboxFolderPermission': ['Identity', 'User'],
  },
  OrganizationConfig: { 'Get-OrganizationConfig': [] },
};
