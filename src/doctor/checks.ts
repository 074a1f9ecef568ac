import { TokenError } from '../m365/auth/token-provider';
import type { M365Clients } from '../m365/connect';
import type { M365Config } from '../m365/config';
import { ExchangeError } from '../m365/exchange';
import { mailboxAnchor } from '../m365/exchange-online/admin-api-client';
import { ExchangeHttpError } from '../m365/exchange-online/admin-api-errors';
import { GraphError } from '../m365/graph/graph-error';

export type CheckStatus = 'ok' | 'missing' | 'failed' | 'skipped' | 'warning';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  /** A required check that is not ok makes the doctor fail. */
  required: boolean;
  /** What was found (an error code, a count). */
  detail?: string;
  /** What an administrator does about it. */
  fix?: string;
}

export interface Check {
  name: string;
  required: boolean;
  /** Checks that must pass first (by name); otherwise this one is skipped. */
  needs?: string[];
  run(ctx: DoctorContext): Promise<Omit<CheckResult, 'check' | 'required'>>;
}

export interface DoctorContext {
  m365: M365Clients;
  cfg: M365Config;
  /** Object ID of the service mailbox user, found by an earlier check. */
  serviceUserId?: string;
  graphRoles?: string[];
  exchangeRoles?: string[];
}

const CONSENT = 'in Entra ID > App registrations > API permissions, then "Grant admin consent"';

function rolesOf(token: string): string[] {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

/** A Graph call that proves one permission: ok, missing (403) or failed (anything else). */
async function graphProbe(ctx: DoctorContext, what: string, permission: string, call: () => Promise<unknown>, notFoundIsOk = false) {
  try {
    await call();
    return { status: 'ok' as const };
  } catch (err) {
    if (err instanceof GraphError && (err.status === 403 || err.status === 401)) {
      return {
        status: 'missing' as const,
        detail: `${err.status} ${err.code}`,
        fix: `Add the Microsoft Graph application permission ${permission} ${CONSENT}.`,
      };
    }
    if (notFoundIsOk && err instanceof GraphError && err.status === 404) return { status: 'ok' as const, detail: 'none found (allowed)' };
    const code = err instanceof GraphError ? `${err.status || ''} ${err.code}`.trim() : String(err);
    return {
      status: 'failed' as const,
      detail: code,
      fix: `Graph could not ${what}; check connectivity and the Graph base URL (${ctx.cfg.graphBaseUrl}).`,
    };
  }
}

function tokenCheck(resource: 'graph' | 'exchange'): Check {
  return {
    name: `Token for ${resource === 'graph' ? 'Microsoft Graph' : 'Exchange Online'}`,
    required: true,
    async run(ctx) {
      try {
        const roles = rolesOf(await ctx.m365.tokens.getToken(resource));
        if (resource === 'graph') ctx.graphRoles = roles;
        else ctx.exchangeRoles = roles;
        return { status: 'ok', detail: roles.length ? `roles: ${roles.join(', ')}` : 'no application roles in the token' };
      } catch (err) {
        const code = err instanceof TokenError ? err.code : 'error';
        return {
          status: 'failed',
          detail: err instanceof Error ? err.message.slice(0, 160) : String(err),
          fix:
            code === 'invalid_client'
              ? 'The client secret or certificate is wrong or expired: create a new one on the app registration and update M365_CLIENT_SECRET / M365_CERTIFICATE_PATH.'
              : code === 'unauthorized_client'
                ? 'No app with M365_CLIENT_ID exists in this tenant: check M365_CLIENT_ID and M365_TENANT_ID.'
                : `Check M365_TENANT_ID, M365_CLIENT_ID, the credential and that ${ctx.cfg.authorityHost} is reachable.`,
        };
      }
    },
  };
}

/** Every check, in order. */
export const CHECKS: Check[] = [
  tokenCheck('graph'),
  tokenCheck('exchange'),
  {
    name: 'Graph: read users (User.Read.All)',
    required: true,
    needs: ['Token for Microsoft Graph'],
    async run(ctx) {
      // A plain user read: Directory.findUser would also need MailboxSettings.Read.
      const result = await graphProbe(
        ctx,
        'read a user',
        'User.Read.All',
        async () => {
          const user = (await ctx.m365.graph.call('read user', (api) =>
            api(`/users/${encodeURIComponent(ctx.cfg.serviceMailbox)}`)
              .select(['id'])
              .get(),
          )) as { id?: unknown };
          if (typeof user?.id !== 'string') throw new GraphError('the user has no id', 'malformedResponse', 200, false);
          ctx.serviceUserId = user.id;
        },
        true,
      );
      if (!ctx.serviceUserId && result.status === 'ok') {
        return {
          status: 'failed',
          detail: `${ctx.cfg.serviceMailbox} does not exist`,
          fix: 'Set M365_SERVICE_MAILBOX to the UPN of an existing (shared) mailbox.',
        };
      }
      return result;
    },
  },
  {
    name: 'Graph: read managers (User.Read.All)',
    required: true,
    needs: ['Graph: read users (User.Read.All)'],
    run: (ctx) =>
      graphProbe(
        ctx,
        'read a manager',
        'User.Read.All',
        () => ctx.m365.graph.call('read manager', (api) => api(`/users/${ctx.serviceUserId}/manager`).get()),
        true,
      ),
  },
  {
    name: 'Graph: group membership (GroupMember.Read.All)',
    required: true,
    needs: ['Graph: read users (User.Read.All)'],
    run: (ctx) =>
      graphProbe(ctx, 'check group membership', 'GroupMember.Read.All', () =>
        ctx.m365.graph.call('check group membership', (api) =>
          api(`/users/${ctx.serviceUserId}/checkMemberGroups`).post({ groupIds: ['00000000-0000-4000-8000-000000000000'] }),
        ),
      ),
  },
  {
    name: 'Graph: mailbox presence (MailboxSettings.Read)',
    required: true,
    needs: ['Graph: read users (User.Read.All)'],
    async run(ctx) {
      const result = await graphProbe(ctx, 'read mailbox settings', 'MailboxSettings.Read', () =>
        ctx.m365.graph.call('read mailbox settings', (api) => api(`/users/${ctx.serviceUserId}/mailboxSettings`).get()),
      );
      if (result.status === 'failed' && result.detail?.includes('MailboxNotEnabledForRESTAPI')) {
        return {
          status: 'failed',
          detail: `${ctx.cfg.serviceMailbox} has no Exchange Online mailbox`,
          fix: 'Use a service account that has an Exchange Online (shared) mailbox.',
        };
      }
      return result;
    },
  },
  {
    name: 'Graph: send mail (Mail.Send)',
    required: true,
    needs: ['Token for Microsoft Graph'],
    async run(ctx) {
      // Checked from the token's roles: sending a test mail is not harmless.
      if (ctx.graphRoles?.includes('Mail.Send')) return { status: 'ok', detail: 'Mail.Send in the token' };
      return {
        status: 'missing',
        fix: `Add the Microsoft Graph application permission Mail.Send ${CONSENT}; limit it to the service mailbox with an application access policy.`,
      };
    },
  },
  {
    name: 'Graph: audit search (AuditLogsQuery-Exchange.Read.All)',
    required: false,
    needs: ['Token for Microsoft Graph'],
    async run(ctx) {
      // Creating a query would leave a saved search in Purview, so the token's roles decide.
      if (ctx.graphRoles?.some((r) => r === 'AuditLogsQuery-Exchange.Read.All' || r === 'AuditLogsQuery.Read.All'))
        return { status: 'ok', detail: 'in the token' };
      return {
        status: 'warning',
        detail: 'activity reports will say "unavailable"',
        fix: `Add the Microsoft Graph application permission AuditLogsQuery-Exchange.Read.All ${CONSENT}.`,
      };
    },
  },
  {
    name: 'Exchange: app permission (Exchange.ManageAsApp)',
    required: true,
    needs: ['Token for Exchange Online'],
    async run(ctx) {
      if (ctx.exchangeRoles?.some((r) => r === 'Exchange.ManageAsApp' || r === 'Exchange.ManageAsAppV2')) return { status: 'ok' };
      return { status: 'missing', fix: `Add the Office 365 Exchange Online application permission Exchange.ManageAsApp ${CONSENT}.` };
    },
  },
  exchangeProbe('Exchange: role can read mailboxes (Get-Mailbox)', 'Mailbox', 'Get-Mailbox', (ctx) => ({
    Identity: ctx.cfg.serviceMailbox,
  })),
  exchangeProbe('Exchange: role can manage FullAccess (Get-MailboxPermission)', 'InvokeCommand', 'Get-MailboxPermission', (ctx) => ({
    Identity: ctx.cfg.serviceMailbox,
  })),
  exchangeProbe(
    'Exchange: role can manage folder permissions (Get-MailboxFolderPermission)',
    'MailboxFolderPermission',
    'Get-MailboxFolderPermission',
    (ctx) => ({
      Identity: `${ctx.cfg.serviceMailbox}:\\Inbox`,
    }),
  ),
];

function exchangeProbe(
  name: string,
  endpoint: 'Mailbox' | 'InvokeCommand' | 'MailboxFolderPermission',
  cmdlet: string,
  params: (ctx: DoctorContext) => Record<string, unknown>,
): Check {
  return {
    name,
    required: true,
    needs: ['Exchange: app permission (Exchange.ManageAsApp)'],
    async run(ctx) {
      const anchor = mailboxAnchor(ctx.cfg.serviceMailbox);
      try {
        await ctx.m365.exchangeApi.run(endpoint, cmdlet, params(ctx), anchor);
        return { status: 'ok' };
      } catch (err) {
        const e = err instanceof ExchangeError ? err : undefined;
        if (e && /CommandNotFound|not recognized/i.test(`${e.code} ${e.message}`)) {
          return {
            status: 'missing',
            detail: e.code,
            fix: `Give the app's service principal an Exchange role that includes ${cmdlet} (Exchange Online PowerShell: New-ServicePrincipal, then New-ManagementRoleAssignment with a role holding Get-Mailbox, Set-Mailbox, Add-/Remove-/Get-MailboxPermission, *-MailboxFolderPermission and Get-RecipientPermission).`,
          };
        }
        if (err instanceof ExchangeHttpError && (err.status === 401 || err.status === 403)) {
          return { status: 'missing', detail: err.code, fix: `Add Exchange.ManageAsApp ${CONSENT} and assign the app an Exchange role.` };
        }
        return {
          status: 'failed',
          detail: err instanceof Error ? err.message.slice(0, 160) : String(err),
          fix: `Check connectivity to ${ctx.cfg.exchangeBaseUrl} and the service mailbox.`,
        };
      }
    },
  };
}
