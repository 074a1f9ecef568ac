// What an Exchange admin audit record did to mailbox access, in Custodian's
// vocabulary. Pure: the app hands in the record as the audit search returned
// it. The record's fields are those of the unified audit log's ExchangeAdmin
// schema (Operation, ObjectId, UserId, AppId, Parameters as Name/Value pairs
// with string values).

/** One audit record as the search returns it (times in epoch ms). */
export interface AuditEntry {
  id: string;
  at: number;
  operation: string;
  userId: string;
  objectId?: string;
  auditData: Record<string, unknown>;
}

/**
 * The routes into someone else's mailbox that the admin audit log records:
 * mailbox and folder permissions, SendAs and SendOnBehalf, role assignments
 * that open every mailbox (impersonation, import/export, search), membership
 * of the role group that holds them, PST exports, and forwarding (the mail
 * itself goes to someone else).
 */
export const TRACED_OPERATIONS = [
  'Add-MailboxPermission',
  'Remove-MailboxPermission',
  'Add-MailboxFolderPermission',
  'Set-MailboxFolderPermission',
  'Remove-MailboxFolderPermission',
  'Add-RecipientPermission',
  'Remove-RecipientPermission',
  'Set-Mailbox',
  'New-ManagementRoleAssignment',
  'Remove-ManagementRoleAssignment',
  'Add-RoleGroupMember',
  'New-MailboxExportRequest',
  'New-InboxRule',
  'Set-InboxRule',
] as const;

/** Roles that open every mailbox in the organization. */
export const MAILBOX_WIDE_ROLES = ['ApplicationImpersonation', 'Mailbox Import Export', 'Mailbox Search'];
/** Role groups that hold those roles. */
const MAILBOX_WIDE_GROUPS = ['Discovery Management', 'Organization Management'];

export type ChangeKind = 'FullAccess' | 'MailboxRights' | 'SendAs' | 'SendOnBehalf' | 'Folder' | 'Role' | 'Export' | 'Forwarding';

/** Kinds Custodian can remove itself (the drift sweep's vocabulary); the others are removed in Exchange. */
export const REMOVABLE_KINDS: ReadonlySet<ChangeKind> = new Set(['FullAccess', 'SendAs', 'SendOnBehalf', 'Folder']);

export interface MailboxChange {
  /** The record's ID, plus "#n" when one record made several changes. */
  id: string;
  recordId: string;
  at: number;
  operation: string;
  /** Who ran the cmdlet (UserId), lower case. */
  actor: string;
  /** The app that ran it (AppId), lower case; empty for a person's own session. */
  appId: string;
  direction: 'add' | 'remove';
  kind: ChangeKind;
  /** Mailbox address, lower case; "*" for every mailbox (a role assignment). */
  mailbox: string;
  /** Who gains or loses access (address, group or app as Exchange names it), lower case. */
  grantee: string;
  folder?: string;
  rights: string[];
  /** Every parameter as the record shows it. */
  parameters: { name: string; value: string }[];
}

/** A value as text: the audit log writes every parameter as a string; anything else is shown as JSON. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function parametersOf(auditData: Record<string, unknown>): { name: string; value: string }[] {
  const raw = auditData.Parameters;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((p: unknown) => {
    if (!p || typeof p !== 'object') return [];
    const { Name, Value } = p as { Name?: unknown; Value?: unknown };
    return typeof Name === 'string' ? [{ name: Name, value: scalarText(Value) }] : [];
  });
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "@{Add=a,b; Remove=c}" (a hashtable as the audit log prints it) or a plain list, which replaces the whole value. */
function delta(value: string): { add: string[]; remove: string[]; replace?: string[] } {
  const table = /^@\{(.*)\}$/s.exec(value.trim());
  if (!table) return { add: [], remove: [], replace: list(value) };
  const out = { add: [] as string[], remove: [] as string[] };
  for (const part of table[1].split(';')) {
    const [key, ...rest] = part.split('=');
    const k = key.trim().toLowerCase();
    if (k === 'add' || k === 'remove') out[k].push(...list(rest.join('=')));
  }
  return out;
}

/** The changes to mailbox access one admin record made; empty when it touches none. */
export function classifyAdminRecord(entry: AuditEntry): MailboxChange[] {
  const params = parametersOf(entry.auditData);
  const get = (name: string) => params.find((p) => p.name.toLowerCase() === name.toLowerCase())?.value;
  const appId = (typeof entry.auditData.AppId === 'string' ? entry.auditData.AppId : '').trim().toLowerCase();
  const base = {
    recordId: entry.id,
    at: entry.at,
    operation: entry.operation,
    actor: entry.userId.trim().toLowerCase(),
    appId,
    parameters: params,
  };
  const identity = (get('Identity') ?? entry.objectId ?? '').trim();
  const mailbox = identity.split(':\\')[0].trim().toLowerCase();
  const one = (change: Omit<MailboxChange, 'id' | keyof typeof base>): MailboxChange[] => [{ ...base, id: entry.id, ...change }];
  const op = entry.operation.toLowerCase();
  const direction = op.startsWith('remove-') ? 'remove' : 'add';
  switch (op) {
    case 'add-mailboxpermission':
    case 'remove-mailboxpermission': {
      const rights = list(get('AccessRights'));
      const kind = rights.some((r) => r.toLowerCase() === 'fullaccess') ? 'FullAccess' : 'MailboxRights';
      return one({ direction, kind, mailbox, grantee: (get('User') ?? '').toLowerCase(), rights });
    }
    case 'add-mailboxfolderpermission':
    case 'set-mailboxfolderpermission':
    case 'remove-mailboxfolderpermission': {
      const folder = identity.includes(':\\') ? identity.split(':\\')[1] : undefined;
      return one({
        direction,
        kind: 'Folder',
        mailbox,
        grantee: (get('User') ?? '').toLowerCase(),
        folder,
        rights: list(get('AccessRights')),
      });
    }
    case 'add-recipientpermission':
    case 'remove-recipientpermission':
      return one({ direction, kind: 'SendAs', mailbox, grantee: (get('Trustee') ?? '').toLowerCase(), rights: list(get('AccessRights')) });
    case 'set-mailbox':
      return setMailboxChanges(entry.id, base, mailbox, get);
    case 'new-managementroleassignment': {
      const role = get('Role') ?? '';
      if (!MAILBOX_WIDE_ROLES.some((r) => r.toLowerCase() === role.toLowerCase())) return [];
      const grantee = get('User') ?? get('SecurityGroup') ?? get('App') ?? get('Policy') ?? '';
      return one({ direction: 'add', kind: 'Role', mailbox: '*', grantee: grantee.toLowerCase(), rights: [role] });
    }
    case 'remove-managementroleassignment':
      // The record names the assignment only; which role it held is in Exchange, not in the record.
      return one({ direction: 'remove', kind: 'Role', mailbox: '*', grantee: identity.toLowerCase(), rights: [] });
    case 'add-rolegroupmember': {
      if (!MAILBOX_WIDE_GROUPS.some((g) => g.toLowerCase() === identity.toLowerCase())) return [];
      return one({ direction: 'add', kind: 'Role', mailbox: '*', grantee: (get('Member') ?? '').toLowerCase(), rights: [identity] });
    }
    case 'new-mailboxexportrequest':
      return one({
        direction: 'add',
        kind: 'Export',
        mailbox: (get('Mailbox') ?? identity).toLowerCase(),
        grantee: base.actor,
        rights: [get('FilePath') ?? ''],
      });
    case 'new-inboxrule':
    case 'set-inboxrule': {
      const target = get('ForwardTo') ?? get('ForwardAsAttachmentTo') ?? get('RedirectTo');
      if (!target) return [];
      const owner = (get('Mailbox') ?? mailbox.split('\\')[0]).toLowerCase();
      return one({ direction: 'add', kind: 'Forwarding', mailbox: owner, grantee: target.toLowerCase(), rights: ['inbox rule'] });
    }
    default:
      return [];
  }
}

function setMailboxChanges(
  recordId: string,
  base: Omit<MailboxChange, 'id' | 'direction' | 'kind' | 'mailbox' | 'grantee' | 'rights'>,
  mailbox: string,
  get: (name: string) => string | undefined,
): MailboxChange[] {
  const out: Omit<MailboxChange, 'id'>[] = [];
  const sendOnBehalf = get('GrantSendOnBehalfTo');
  if (sendOnBehalf !== undefined) {
    const d = delta(sendOnBehalf);
    for (const g of d.replace ?? d.add)
      out.push({ ...base, direction: 'add', kind: 'SendOnBehalf', mailbox, grantee: g.toLowerCase(), rights: ['SendOnBehalf'] });
    for (const g of d.remove)
      out.push({ ...base, direction: 'remove', kind: 'SendOnBehalf', mailbox, grantee: g.toLowerCase(), rights: ['SendOnBehalf'] });
  }
  const forward = get('ForwardingSmtpAddress') || get('ForwardingAddress');
  if (forward && forward.trim() !== '' && forward.trim().toLowerCase() !== '$null')
    out.push({
      ...base,
      direction: 'add',
      kind: 'Forwarding',
      mailbox,
      grantee: forward.replace(/^smtp:/i, '').toLowerCase(),
      rights: ['forwarding'],
    });
  return out.map((change, i) => ({ ...change, id: out.length > 1 ? `${recordId}#${i + 1}` : recordId }));
}

/** "FullAccess", "Reviewer on Inbox", "ApplicationImpersonation on every mailbox". */
export function describeChange(change: MailboxChange): string {
  const what =
    change.kind === 'Folder'
      ? `${change.rights.join(', ') || 'a role'} on ${change.folder ?? 'a folder'}`
      : change.kind === 'MailboxRights' || change.kind === 'Role'
        ? change.rights.join(', ') || change.kind
        : change.kind === 'Export'
          ? 'an export of the mailbox'
          : change.kind === 'Forwarding'
            ? `forwarding to ${change.grantee}`
            : change.kind;
  const where = change.mailbox === '*' ? 'every mailbox' : change.mailbox;
  return `${change.direction === 'add' ? 'gave' : 'removed'} ${what}${change.kind === 'Forwarding' ? '' : ` ${change.direction === 'add' ? 'to' : 'from'} ${change.grantee}`} on ${where}`;
}
