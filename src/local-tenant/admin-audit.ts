import { randomUUID } from 'node:crypto';
import { CMDLETS, CmdletFailure } from './exchange-cmdlets';
import type { AuditRecord, TenantState } from './state';

// Exchange writes an admin audit record for every cmdlet that changes
// something (the Get- cmdlets are not audited): record type ExchangeAdmin,
// with Operation (the cmdlet), ObjectId (the changed object), UserId (who
// ran it), AppId/ClientAppId (the app, for app-only calls), ResultStatus,
// ExternalAccess and Parameters as a list of Name/Value pairs with every
// value a string (learn.microsoft.com/office/office-365-management-api/
// office-365-management-activity-api-schema, "Exchange admin schema"; Graph
// beta shows it as auditLogRecordType "exchangeAdmin" with the same fields in
// auditData). They become searchable late (real-tenant.md fact 13):
// state.audit.arrivalDelayMs says how late.

/** Who ran the cmdlet: the app (app-only token) or a person. */
export type AdminCaller = { kind: 'app'; appId: string } | { kind: 'user'; upn: string };

/** Cmdlets that change something; Exchange audits these and not the reads. */
export function isAuditedCmdlet(cmdlet: string): boolean {
  return !/^Get-/i.test(cmdlet);
}

/** A parameter value as the audit log shows it: always a string (lists comma-separated, hashtables as @{Add=...}). */
function auditValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(auditValue).join(',');
  if (value && typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== '@odata.type')
      .map(([key, v]) => `${key}=${auditValue(v)}`);
    return `@{${parts.join('; ')}}`;
  }
  return String(value);
}

/** The changed object as ObjectId names it: the mailbox (or folder) the cmdlet's Identity resolved to. */
function objectIdOf(params: Record<string, unknown>, state: TenantState): string {
  const identity = typeof params.Identity === 'string' ? params.Identity.trim() : '';
  const [mailbox, folder] = identity.split(':\\');
  const box = state.mailbox(mailbox);
  if (!box) return identity;
  return folder === undefined ? box.upn : `${box.upn}:\\${folder}`;
}

/** Writes the ExchangeAdmin record of one cmdlet that ran (and succeeded) here. */
export function recordAdminCmdlet(state: TenantState, cmdlet: string, params: Record<string, unknown>, caller: AdminCaller): AuditRecord {
  const now = state.now();
  const createdDateTime = new Date(now).toISOString();
  const userId = caller.kind === 'app' ? state.app.displayName : caller.upn.toLowerCase();
  const appId = caller.kind === 'app' ? caller.appId : '';
  const objectId = objectIdOf(params, state);
  const record: AuditRecord = {
    id: randomUUID(),
    createdDateTime,
    operation: cmdlet,
    userPrincipalName: userId,
    auditLogRecordType: 'exchangeAdmin',
    objectId,
    auditData: {
      RecordType: 1,
      Workload: 'Exchange',
      Operation: cmdlet,
      ObjectId: objectId,
      UserId: userId,
      AppId: appId,
      ClientAppId: appId,
      ResultStatus: 'True',
      ExternalAccess: false,
      OrganizationName: state.domain,
      Parameters: Object.entries(params).map(([Name, value]) => ({ Name, Value: auditValue(value) })),
    },
    ...(state.audit.arrivalDelayMs > 0 ? { availableAt: now + state.audit.arrivalDelayMs } : {}),
  };
  state.audit.records.push(record);
  return record;
}

/**
 * A person changing a mailbox permission directly in Exchange, outside
 * Custodian (the rogue admin of the local demo): the cmdlet runs on the
 * tenant state as the app's would, and is audited under the person's name.
 */
export function runAsAdmin(state: TenantState, actorUpn: string, cmdlet: string, params: Record<string, unknown>): AuditRecord {
  const definition = CMDLETS[cmdlet];
  if (!definition || !isAuditedCmdlet(cmdlet)) throw new Error(`The local tenant has no cmdlet ${cmdlet} that changes a mailbox.`);
  if (!state.findUser(actorUpn)) throw new Error(`No user ${actorUpn} in the local tenant.`);
  try {
    definition.run(params, state);
  } catch (error) {
    if (error instanceof CmdletFailure) throw new Error(`${cmdlet} failed: ${error.message}`, { cause: error });
    throw error;
  }
  return recordAdminCmdlet(state, cmdlet, params, { kind: 'user', upn: actorUpn });
}

/** The demo's rogue admin: `actor` gives `grantee` FullAccess on `mailbox` in Exchange, without asking Custodian. */
export function rogueFullAccess(state: TenantState, actor: string, grantee: string, mailbox: string): AuditRecord {
  return runAsAdmin(state, actor, 'Add-MailboxPermission', {
    Identity: mailbox,
    User: grantee,
    AccessRights: ['FullAccess'],
    InheritanceType: 'All',
    AutoMapping: false,
  });
}
