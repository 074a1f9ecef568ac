import type { M365Config } from '../m365/config';

// Fail closed on configuration: a bot that can change Exchange permissions in
// a real tenant must authenticate every incoming activity, whatever
// CUSTODIAN_MODE says; only a bot talking to a tenant on this machine may run
// without Bot Framework credentials, and then only on loopback.

/** 127.0.0.0/8, ::1 and localhost; anything else (or unreadable) counts as remote. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return !!v4 && v4.slice(1).every((part) => Number(part) <= 255);
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** The Microsoft 365 endpoints (as "M365_SETTING=host") that are not on this machine; empty when all are loopback. */
export function remoteTenantEndpoints(m365: Pick<M365Config, 'authorityHost' | 'graphBaseUrl' | 'exchangeBaseUrl'>): string[] {
  const endpoints: [string, string][] = [
    ['M365_AUTHORITY_HOST', m365.authorityHost],
    ['M365_GRAPH_BASE_URL', m365.graphBaseUrl],
    ['M365_EXCHANGE_BASE_URL', m365.exchangeBaseUrl],
  ];
  return endpoints
    .filter(([, url]) => {
      const host = hostOf(url);
      return host === null || !isLoopbackHost(host);
    })
    .map(([name, url]) => `${name}=${hostOf(url) ?? url}`);
}

export interface BotCredentials {
  appId?: string;
  appPassword?: string;
  appTenantId?: string;
  appType?: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
}

/**
 * The Bot Framework settings missing for JWT validation, each naming why it is
 * required (`why`: "in production mode", or the remote endpoints).
 */
export function missingBotCredentials(bot: BotCredentials, why: string): string[] {
  const problems: string[] = [];
  if (!bot.appId)
    problems.push(`MICROSOFT_APP_ID is required ${why} (the Azure Bot app ID; with it every incoming activity's JWT is validated)`);
  if (bot.appType !== 'UserAssignedMSI' && bot.appId && !bot.appPassword)
    problems.push(`MICROSOFT_APP_PASSWORD is required ${why} unless MICROSOFT_APP_TYPE=UserAssignedMSI`);
  if ((bot.appType ?? 'SingleTenant') === 'SingleTenant' && bot.appId && !bot.appTenantId)
    problems.push(`MICROSOFT_APP_TENANT_ID is required ${why} for a single-tenant bot`);
  return problems;
}

/** Why Bot Framework credentials are required, or null when this configuration may run without them. */
export function botCredentialsRequiredBecause(mode: 'local' | 'production', m365: M365Config | undefined): string | null {
  const remote = m365 ? remoteTenantEndpoints(m365) : [];
  if (remote.length > 0)
    return `because the Microsoft 365 settings point outside this machine (${remote.join(', ')}), whatever CUSTODIAN_MODE says`;
  if (mode === 'production') return 'in production mode';
  return null;
}

/**
 * Where the HTTP server listens. Without JWT validation only loopback is
 * allowed: asking for another address then stops the start with the reason.
 */
export function listenHost(mode: 'local' | 'production', jwtValidated: boolean, requested?: string): string {
  if (jwtValidated) return requested ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0');
  if (requested && !isLoopbackHost(requested))
    throw new Error(
      `Custodian will not listen on ${requested} without Bot Framework credentials: incoming calls would not be authenticated. Set MICROSOFT_APP_ID (and its password and tenant), or listen on loopback.`,
    );
  return requested ?? '127.0.0.1';
}

/** What the operator is told at start about how incoming calls are checked. */
export function startupWarnings(mode: 'local' | 'production', jwtValidated: boolean, host: string): string[] {
  if (jwtValidated) return [];
  return [
    `${mode === 'local' ? 'Local mode' : 'No Bot Framework credentials'}: incoming Bot Framework calls are NOT authenticated (no MICROSOFT_APP_ID), so Custodian listens on loopback (${host}) only and talks to a tenant on this machine only.`,
  ];
}
