import { z } from 'zod';

/** How the app reaches one Microsoft 365 tenant. */
export interface M365Config {
  /** Entra tenant ID (GUID). */
  tenantId: string;
  /** App registration (client) ID. */
  clientId: string;
  /** Client secret; or use a certificate. */
  clientSecret?: string;
  /** PEM file with the certificate's private key (it may also hold the certificate itself). */
  certificatePath?: string;
  /** Hex SHA-256 (64 chars) or SHA-1 (40 chars) thumbprint; optional when the PEM holds the certificate. */
  certificateThumbprint?: string;
  /** e.g. https://login.microsoftonline.com (sovereign clouds: .us, .chinacloudapi.cn). */
  authorityHost: string;
  /** e.g. https://graph.microsoft.com; the token scope is `${graphBaseUrl}/.default`. */
  graphBaseUrl: string;
  /** e.g. https://outlook.office365.com; the token scope is `${exchangeBaseUrl}/.default`. */
  exchangeBaseUrl: string;
  /** UPN of the mailbox that sends the bot's e-mail. */
  serviceMailbox: string;
  /** Extra CA certificate (PEM) trusted by these clients only. */
  caCertPem?: string;
  /** Time budget for one call including retries (default 60 s). */
  callBudgetMs?: number;
  /** Timeout of one HTTP request (default 30 s). */
  requestTimeoutMs?: number;
  /** Exchange admin API requests in flight at once (default 64). */
  exchangeConcurrency?: number;
}

const httpsUrl = (name: string) =>
  z.string({ error: `${name} is required` }).refine((v) => {
    try {
      return new URL(v).protocol === 'https:';
    } catch {
      return false;
    }
  }, `${name} must be an https:// URL`);

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const schema = z
  .object({
    tenantId: z.string({ error: 'tenantId is required' }).regex(guid, 'tenantId must be a GUID'),
    clientId: z.string({ error: 'clientId is required' }).regex(guid, 'clientId must be a GUID'),
    clientSecret: z.string().min(1, 'clientSecret must not be empty').optional(),
    certificatePath: z.string().min(1, 'certificatePath must not be empty').optional(),
    certificateThumbprint: z
      .string()
      .regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/i, 'certificateThumbprint must be 40 or 64 hex characters')
      .optional(),
    authorityHost: httpsUrl('authorityHost'),
    graphBaseUrl: httpsUrl('graphBaseUrl'),
    exchangeBaseUrl: httpsUrl('exchangeBaseUrl'),
    serviceMailbox: z
      .string({ error: 'serviceMailbox is required' })
      .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'serviceMailbox must be an e-mail address'),
    caCertPem: z.string().includes('BEGIN CERTIFICATE', { message: 'caCertPem must be a PEM certificate' }).optional(),
    callBudgetMs: z.number().int().positive('callBudgetMs must be positive').optional(),
    requestTimeoutMs: z.number().int().positive('requestTimeoutMs must be positive').optional(),
  })
  .refine((c) => Boolean(c.clientSecret) !== Boolean(c.certificatePath), {
    message: 'set exactly one of clientSecret or certificatePath',
  });

/** Throws an Error naming every bad setting (never echoing secret values). */
export function validateM365Config(cfg: M365Config): M365Config {
  const parsed = schema.safeParse(cfg);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw new Error(`Invalid Microsoft 365 settings: ${problems.join('; ')}`);
  }
  return cfg;
}

/** `https://graph.microsoft.com` -> `https://graph.microsoft.com/.default`. */
export function scopeFor(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/.default`;
}
