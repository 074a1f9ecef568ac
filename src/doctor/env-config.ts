import { readFileSync } from 'node:fs';
import type { M365Config } from '../m365/config';

/**
 * The Microsoft 365 settings from the environment, under the names the app's
 * configuration uses (M365_*). M365_CA_CERT_FILE adds a CA these clients trust.
 * Validation (naming every bad setting) happens in createM365.
 */
export function m365ConfigFromEnv(env: NodeJS.ProcessEnv): M365Config {
  let caCertPem: string | undefined;
  if (env.M365_CA_CERT_FILE) {
    try {
      caCertPem = readFileSync(env.M365_CA_CERT_FILE, 'utf8');
    } catch {
      throw new Error(`M365_CA_CERT_FILE: cannot read ${env.M365_CA_CERT_FILE}`);
    }
  }
  return {
    tenantId: env.M365_TENANT_ID ?? '',
    clientId: env.M365_CLIENT_ID ?? '',
    clientSecret: env.M365_CLIENT_SECRET || undefined,
    certificatePath: env.M365_CERTIFICATE_PATH || undefined,
    certificateThumbprint: env.M365_CERTIFICATE_THUMBPRINT || undefined,
    authorityHost: env.M365_AUTHORITY_HOST ?? 'https://login.microsoftonline.com',
    graphBaseUrl: env.M365_GRAPH_BASE_URL ?? 'https://graph.microsoft.com',
    exchangeBaseUrl: env.M365_EXCHANGE_BASE_URL ?? 'https://outlook.office365.com',
    serviceMailbox: env.M365_SERVICE_MAILBOX ?? '',
    caCertPem,
  };
}
