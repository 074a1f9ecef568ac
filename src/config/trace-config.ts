import { CronExpressionParser } from 'cron-parser';
import type { AccessWatch, TraceSettings } from '../app/trace/trace-settings';

/** Settings of the admin-audit correlation (the "trace" job), from the environment; the app's ID comes from the tenant connection. */
export type TraceConfig = Omit<TraceSettings, 'appId'>;

const ADDRESS = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name}: must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return n;
}

function accessWatch(raw: string | undefined, problems: string[]): AccessWatch {
  const value = raw?.trim() ?? '';
  if (value === '' || value.toLowerCase() === 'all') return { kind: 'all' };
  if (value.toLowerCase() === 'off') return { kind: 'off' };
  const jurisdiction = /^jurisdiction:([A-Za-z][A-Za-z0-9-]*)$/i.exec(value);
  if (jurisdiction) return { kind: 'jurisdiction', code: jurisdiction[1].toUpperCase() };
  const mailboxes = value.split(',').map((s) => s.trim().toLowerCase());
  const bad = mailboxes.filter((m) => !ADDRESS.test(m));
  if (bad.length) {
    problems.push(
      `CUSTODIAN_TRACE_ACCESS_MAILBOXES: must be "all", "off", "jurisdiction:<code>" or a comma-separated list of addresses; not an address: ${bad.map((b) => `"${b}"`).join(', ')}`,
    );
    return { kind: 'all' };
  }
  return { kind: 'list', mailboxes };
}

/** Reads the trace settings; every bad one is named in `problems`. */
export function readTraceConfig(env: NodeJS.ProcessEnv): { config: TraceConfig; problems: string[] } {
  const problems: string[] = [];
  const raw = env.CUSTODIAN_TRACE_CRON?.trim() || '*/30 * * * *';
  const cron = raw.toLowerCase() === 'off' ? null : raw;
  try {
    if (cron) CronExpressionParser.parse(cron, { tz: 'UTC' });
  } catch {
    problems.push(`CUSTODIAN_TRACE_CRON: must be a cron expression such as "*/30 * * * *" (UTC) or "off", got "${raw}"`);
  }
  const config: TraceConfig = {
    cron,
    lateMs: wholeNumber(env, 'CUSTODIAN_TRACE_LATE_HOURS', 24, 1, 24 * 7, problems) * 3_600_000,
    attempts: wholeNumber(env, 'CUSTODIAN_TRACE_ATTEMPTS', 3, 1, 10, problems),
    retryDelayMs: wholeNumber(env, 'CUSTODIAN_TRACE_RETRY_SECONDS', 20, 0, 3600, problems) * 1000,
    maxRecords: wholeNumber(env, 'CUSTODIAN_TRACE_MAX_RECORDS', 500_000, 1, 5_000_000, problems),
    maxAccessAlerts: wholeNumber(env, 'CUSTODIAN_TRACE_MAX_ACCESS_ALERTS', 50, 1, 10_000, problems),
    accessWatch: accessWatch(env.CUSTODIAN_TRACE_ACCESS_MAILBOXES, problems),
  };
  return { config, problems };
}
