import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { readTraceConfig, type TraceConfig } from './trace-config';
import { z } from 'zod';
import type { M365Config } from '../m365/config';
import { botCredentialsRequiredBecause, missingBotCredentials } from './startup-checks';

/** Everything configurable, read from the environment once at start-up. */
export interface AppConfig {
  port: number;
  /** "local" runs against the simulated tenant; "production" needs real credentials and runs the doctor at start. */
  mode: 'local' | 'production';
  bot: { appId: string; appPassword?: string; appTenantId?: string; appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI' };
  m365?: M365Config;
  store: { mongodbUri?: string; mongodbDb: string; dataDir: string };
  policyFile: string;
  botDir: string;
  instanceId: string;
  leaseMs: number;
  schedulerIntervalMs: number;
  /** Due work claimed this far ahead and started on time from memory. */
  schedulerLookaheadMs: number;
  /** Due items one instance works on at the same time. */
  schedulerConcurrency: number;
  /** Exchange admin API requests one instance has in flight at once. */
  exchangeConcurrency: number;
  /** Wait after access ends before the Purview activity search (audit records arrive with a delay). */
  activityReportDelayMs: number;
  /** Cron (UTC) of the daily summary in the security conversation. */
  dailySummaryCron: string;
  /** Where an e-mail copy of every security notice goes (optional). */
  securityNoticeEmail?: string;
  /** Audit records older than this are exported and removed daily (optional: keep forever). */
  auditRetentionDays?: number;
  auditExportDir: string;
  /** Where the monthly audit report (HTML and JSON) is written on the first of each month (optional: not written). */
  reportDir?: string;
  /** Access reviews: when (UTC cron) and how many grants of the period are drawn at random. */
  reviews: { cron: string; sampleSize: number };
  /** Drift sweeps: when (UTC cron), which mailboxes (all when absent), the allow-list file, mailboxes read at once. */
  drift: { cron: string; mailboxes?: string[]; allowListFile?: string; concurrency: number };
  /** Admin-audit correlation (src/config/trace-config.ts). */
  trace: TraceConfig;
  logLevel: string;
  /** The only Entra tenant whose Teams activities are handled; anything else is refused before it is stored. */
  allowedTenantId: string;
  /** JSON lines (production) or human-readable lines (local default). */
  logFormat: LogFormat;
}

export type LogFormat = 'json' | 'pretty';

/** The simulated tenant's ID (src/local-tenant/fixture.json), which the local Agents Playground sends too. */
export const LOCAL_TENANT_ID = '4c1d9a52-0d5e-4f1e-9a3b-c0570d05c0de';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const positiveInt = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed <= 0) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a positive whole number, got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    });

const wholeNumberIn = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}, got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    });

const cronSetting = (name: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      try {
        CronExpressionParser.parse(value.trim(), { tz: 'UTC' });
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be a cron expression such as "0 8 * * 1" (UTC), got "${value}"` });
        return z.NEVER;
      }
      return value.trim();
    });

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== '' ? value.trim() : undefined));

const envSchema = z.object({
  PORT: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return 3978;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
        ctx.addIssue({ code: 'custom', message: `PORT must be a port number (0-65535; 0 picks a free one), got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    }),
  CUSTODIAN_MODE: z.enum(['local', 'production'], { error: 'CUSTODIAN_MODE must be "local" or "production"' }).optional(),
  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: optionalText,
  MICROSOFT_APP_TYPE: z
    .enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI'], {
      error: 'MICROSOFT_APP_TYPE must be SingleTenant, MultiTenant or UserAssignedMSI',
    })
    .optional(),
  M365_TENANT_ID: optionalText,
  M365_CLIENT_ID: optionalText,
  M365_CLIENT_SECRET: optionalText,
  M365_CERTIFICATE_PATH: optionalText,
  M365_CERTIFICATE_THUMBPRINT: optionalText,
  M365_AUTHORITY_HOST: optionalText,
  M365_GRAPH_BASE_URL: optionalText,
  M365_EXCHANGE_BASE_URL: optionalText,
  M365_SERVICE_MAILBOX: optionalText,
  M365_CA_CERT_FILE: optionalText,
  CUSTODIAN_DAILY_SUMMARY_CRON: optionalText,
  CUSTODIAN_SECURITY_EMAIL: optionalText,
  CUSTODIAN_ALLOWED_TENANT_ID: optionalText,
  CUSTODIAN_AUDIT_RETENTION_DAYS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 1) {
        ctx.addIssue({
          code: 'custom',
          message: `CUSTODIAN_AUDIT_RETENTION_DAYS must be a whole number of days (1 or more), got "${value}"`,
        });
        return z.NEVER;
      }
      return parsed;
    }),
  CUSTODIAN_AUDIT_EXPORT_DIR: optionalText,
  CUSTODIAN_REPORT_DIR: optionalText,
  CUSTODIAN_REVIEW_CRON: cronSetting('CUSTODIAN_REVIEW_CRON'),
  CUSTODIAN_REVIEW_SAMPLE_SIZE: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return 5;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 0 || parsed > 1000) {
        ctx.addIssue({ code: 'custom', message: `CUSTODIAN_REVIEW_SAMPLE_SIZE must be a whole number from 0 to 1000, got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    }),
  CUSTODIAN_SWEEP_CRON: cronSetting('CUSTODIAN_SWEEP_CRON'),
  CUSTODIAN_SWEEP_MAILBOXES: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const list = value
        .split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean);
      const bad = list.filter((entry) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(entry));
      if (bad.length > 0 || list.length === 0) {
        ctx.addIssue({
          code: 'custom',
          message: `CUSTODIAN_SWEEP_MAILBOXES must be a comma-separated list of mailbox addresses; not an address: ${bad.map((entry) => `"${entry}"`).join(', ') || '(empty list)'}`,
        });
        return z.NEVER;
      }
      return [...new Set(list)];
    }),
  CUSTODIAN_SWEEP_CONCURRENCY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return 8;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 1 || parsed > 64) {
        ctx.addIssue({ code: 'custom', message: `CUSTODIAN_SWEEP_CONCURRENCY must be a whole number from 1 to 64, got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    }),
  CUSTODIAN_DRIFT_ALLOWLIST_FILE: optionalText,
  MONGODB_URI: optionalText,
  MONGODB_DB: optionalText,
  CUSTODIAN_DATA_DIR: optionalText,
  CUSTODIAN_POLICY_FILE: optionalText,
  CUSTODIAN_BOT_DIR: optionalText,
  CUSTODIAN_INSTANCE_ID: optionalText,
  CUSTODIAN_LEASE_MS: positiveInt('CUSTODIAN_LEASE_MS', 120_000),
  CUSTODIAN_SCHEDULER_INTERVAL_MS: positiveInt('CUSTODIAN_SCHEDULER_INTERVAL_MS', 1_000),
  CUSTODIAN_SCHEDULER_LOOKAHEAD_MS: wholeNumberIn('CUSTODIAN_SCHEDULER_LOOKAHEAD_MS', 30_000, 0, 600_000),
  CUSTODIAN_SCHEDULER_CONCURRENCY: wholeNumberIn('CUSTODIAN_SCHEDULER_CONCURRENCY', 1_000, 1, 5_000),
  CUSTODIAN_EXCHANGE_CONCURRENCY: wholeNumberIn('CUSTODIAN_EXCHANGE_CONCURRENCY', 64, 1, 500),
  CUSTODIAN_ACTIVITY_REPORT_DELAY_MINUTES: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 0) {
        ctx.addIssue({
          code: 'custom',
          message: `CUSTODIAN_ACTIVITY_REPORT_DELAY_MINUTES must be a whole number of minutes (0 or more), got "${value}"`,
        });
        return z.NEVER;
      }
      return parsed;
    }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .optional(),
  LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'LOG_FORMAT must be json or pretty' }).optional(),
});

function readCaFile(path: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    problems.push(`M365_CA_CERT_FILE: cannot read ${path}`);
    return undefined;
  }
}

/** Validates every setting and names each bad one; secrets are never echoed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, root: string = process.cwd()): AppConfig {
  // Each setting is checked on its own so that every bad one is named, together with the cross-setting checks below.
  const problems: string[] = [];
  const e = {} as z.infer<typeof envSchema>;
  for (const [name, schema] of Object.entries(envSchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(env[name]);
    if (parsed.success) (e as Record<string, unknown>)[name] = parsed.data;
    else problems.push(...parsed.error.issues.map((issue) => `${name}: ${issue.message}`));
  }
  const trace = readTraceConfig(env);
  problems.push(...trace.problems);
  const m365Keys = [e.M365_TENANT_ID, e.M365_CLIENT_ID, e.M365_CLIENT_SECRET, e.M365_CERTIFICATE_PATH];
  const wantsTenant = m365Keys.some(Boolean);
  const mode = e.CUSTODIAN_MODE ?? (wantsTenant ? 'production' : 'local');
  let m365: AppConfig['m365'];
  if (mode === 'production' || wantsTenant) {
    // Production always needs a tenant; local mode may point at one too (e.g. a shared local tenant for several instances).
    const where = mode === 'production' ? 'in production mode' : 'when any M365_* setting is given';
    if (!e.M365_TENANT_ID) problems.push(`M365_TENANT_ID is required ${where} (the Entra tenant ID)`);
    if (!e.M365_CLIENT_ID) problems.push(`M365_CLIENT_ID is required ${where} (the app registration ID)`);
    if (!e.M365_CLIENT_SECRET && !e.M365_CERTIFICATE_PATH)
      problems.push(`set M365_CERTIFICATE_PATH (recommended) or M365_CLIENT_SECRET ${where}`);
    if (e.M365_CLIENT_SECRET && e.M365_CERTIFICATE_PATH) problems.push('set only one of M365_CLIENT_SECRET and M365_CERTIFICATE_PATH');
    if (!e.M365_SERVICE_MAILBOX) problems.push(`M365_SERVICE_MAILBOX is required ${where} (the mailbox that sends notices)`);
    m365 = {
      tenantId: e.M365_TENANT_ID ?? '',
      clientId: e.M365_CLIENT_ID ?? '',
      clientSecret: e.M365_CLIENT_SECRET,
      certificatePath: e.M365_CERTIFICATE_PATH,
      certificateThumbprint: e.M365_CERTIFICATE_THUMBPRINT,
      authorityHost: e.M365_AUTHORITY_HOST ?? 'https://login.microsoftonline.com',
      graphBaseUrl: e.M365_GRAPH_BASE_URL ?? 'https://graph.microsoft.com',
      exchangeBaseUrl: e.M365_EXCHANGE_BASE_URL ?? 'https://outlook.office365.com',
      serviceMailbox: e.M365_SERVICE_MAILBOX ?? '',
      caCertPem: e.M365_CA_CERT_FILE ? readCaFile(e.M365_CA_CERT_FILE, problems) : undefined,
    };
  }
  // Fail closed: no unauthenticated bot with rights in a tenant outside this machine, whatever the mode.
  const credentialsNeeded = botCredentialsRequiredBecause(mode, m365);
  if (credentialsNeeded)
    problems.push(
      ...missingBotCredentials(
        {
          appId: e.MICROSOFT_APP_ID,
          appPassword: e.MICROSOFT_APP_PASSWORD,
          appTenantId: e.MICROSOFT_APP_TENANT_ID,
          appType: e.MICROSOFT_APP_TYPE,
        },
        credentialsNeeded,
      ),
    );
  if (e.CUSTODIAN_SECURITY_EMAIL && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e.CUSTODIAN_SECURITY_EMAIL))
    problems.push(`CUSTODIAN_SECURITY_EMAIL must be an e-mail address, got "${e.CUSTODIAN_SECURITY_EMAIL}"`);
  if (e.MONGODB_URI && !/^mongodb(\+srv)?:\/\//.test(e.MONGODB_URI))
    problems.push('MONGODB_URI must start with mongodb:// or mongodb+srv://');
  const allowListFile = e.CUSTODIAN_DRIFT_ALLOWLIST_FILE ? resolve(root, e.CUSTODIAN_DRIFT_ALLOWLIST_FILE) : undefined;
  if (allowListFile && !existsSync(allowListFile)) problems.push(`CUSTODIAN_DRIFT_ALLOWLIST_FILE: no file at ${allowListFile}`);
  const allowedTenantId =
    e.CUSTODIAN_ALLOWED_TENANT_ID ?? e.M365_TENANT_ID ?? e.MICROSOFT_APP_TENANT_ID ?? (mode === 'local' ? LOCAL_TENANT_ID : '');
  if (!allowedTenantId) problems.push('CUSTODIAN_ALLOWED_TENANT_ID is required (the Entra tenant whose Teams may use the bot)');
  if (problems.length > 0) throw new ConfigError(problems);
  const botDir = resolve(root, e.CUSTODIAN_BOT_DIR ?? 'bot');
  return {
    port: e.PORT,
    mode,
    bot: {
      appId: e.MICROSOFT_APP_ID ?? '',
      appPassword: e.MICROSOFT_APP_PASSWORD,
      appTenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE ?? 'SingleTenant',
    },
    m365,
    store: { mongodbUri: e.MONGODB_URI, mongodbDb: e.MONGODB_DB ?? 'custodian', dataDir: resolve(root, e.CUSTODIAN_DATA_DIR ?? 'data') },
    policyFile: resolve(root, e.CUSTODIAN_POLICY_FILE ?? `${botDir}/policies.yaml`),
    botDir,
    instanceId: e.CUSTODIAN_INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    leaseMs: e.CUSTODIAN_LEASE_MS,
    schedulerIntervalMs: e.CUSTODIAN_SCHEDULER_INTERVAL_MS,
    schedulerLookaheadMs: e.CUSTODIAN_SCHEDULER_LOOKAHEAD_MS,
    schedulerConcurrency: e.CUSTODIAN_SCHEDULER_CONCURRENCY,
    exchangeConcurrency: e.CUSTODIAN_EXCHANGE_CONCURRENCY,
    dailySummaryCron: e.CUSTODIAN_DAILY_SUMMARY_CRON ?? '0 7 * * *',
    securityNoticeEmail: e.CUSTODIAN_SECURITY_EMAIL,
    auditRetentionDays: e.CUSTODIAN_AUDIT_RETENTION_DAYS,
    auditExportDir: resolve(root, e.CUSTODIAN_AUDIT_EXPORT_DIR ?? 'data/audit-archive'),
    reportDir: e.CUSTODIAN_REPORT_DIR ? resolve(root, e.CUSTODIAN_REPORT_DIR) : undefined,
    reviews: { cron: e.CUSTODIAN_REVIEW_CRON ?? '0 8 * * 1', sampleSize: e.CUSTODIAN_REVIEW_SAMPLE_SIZE },
    drift: {
      cron: e.CUSTODIAN_SWEEP_CRON ?? '0 3 * * *',
      mailboxes: e.CUSTODIAN_SWEEP_MAILBOXES,
      allowListFile,
      concurrency: e.CUSTODIAN_SWEEP_CONCURRENCY,
    },
    trace: trace.config,
    activityReportDelayMs: (e.CUSTODIAN_ACTIVITY_REPORT_DELAY_MINUTES ?? (mode === 'local' ? 0 : 60)) * 60_000,
    logLevel: e.LOG_LEVEL ?? 'info',
    allowedTenantId: allowedTenantId.toLowerCase(),
    logFormat: e.LOG_FORMAT ?? (mode === 'local' ? 'pretty' : 'json'),
  };
}
