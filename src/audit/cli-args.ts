import { parseArgs } from 'node:util';
import { isRequestId, normaliseRequestId } from '../domain/request-id';
import type { AuditQuery } from '../store/store';
import { EXPORT_FORMATS, type ExportFormat } from './export';
import type { ReportFormat } from './report/report-output';

export const AUDIT_USAGE = `Usage:
  npm run audit -- verify
  npm run audit -- export --from 2026-01-01 --to 2026-02-01 --format csv|json
                          [--mailbox UPN] [--requester OBJECT_ID|UPN] [--request CUS-2026-0001]
                          [--ticket ID] [--out FILE]
  npm run audit -- retention --days N --export-dir DIR
  npm run audit -- report --from 2026-11-01 --to 2026-12-01 [--format html|json] [--out FILE]

  --from is inclusive, --to exclusive; both take a date (UTC midnight) or an ISO time with zone.
  The store comes from MONGODB_URI / MONGODB_DB (default "custodian"), or the embedded store
  in CUSTODIAN_DATA_DIR (default "./data").`;

export type AuditCommand =
  | { command: 'help' }
  | { command: 'verify' }
  | { command: 'export'; query: AuditQuery; requesterUpn?: string; format: ExportFormat; out?: string }
  | { command: 'retention'; days: number; exportDir: string }
  | { command: 'report'; from: number; to: number; format: ReportFormat; out?: string };

export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'json'];

/** Bad command-line input; the message names the argument. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const COMMANDS = ['verify', 'export', 'retention', 'report', 'help'] as const;

export function parseAuditArgs(argv: string[]): AuditCommand {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError(`Missing command: use one of ${COMMANDS.join(', ')}`);
  if (command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  switch (command) {
    case 'verify':
      parse(rest, {});
      return { command: 'verify' };
    case 'export':
      return parseExport(rest);
    case 'retention':
      return parseRetention(rest);
    case 'report':
      return parseReport(rest);
    default:
      throw new UsageError(`Unknown command "${command}": use one of ${COMMANDS.join(', ')}`);
  }
}

type StringOptions = Record<string, { type: 'string' }>;

function parse(args: string[], options: StringOptions): Record<string, string | undefined> {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}"`);
    return values;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // node's messages already name the option, e.g. "Unknown option '--form'".
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** The period [from, to): both required, from before to. */
function parsePeriod(values: Record<string, string | undefined>): { from: number; to: number } {
  const from = parseTime('--from', required('--from', values.from));
  const to = parseTime('--to', required('--to', values.to));
  if (from >= to) throw new UsageError(`--from (${values.from}) must be before --to (${values.to})`);
  return { from, to };
}

function parseReport(args: string[]): AuditCommand {
  const values = parse(args, { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } });
  const { from, to } = parsePeriod(values);
  const format = values.format ?? 'html';
  if (!REPORT_FORMATS.includes(format as ReportFormat)) {
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')} (got "${format}")`);
  }
  const out = values.out === undefined ? undefined : nonEmpty('--out', values.out);
  return { command: 'report', from, to, format: format as ReportFormat, out };
}

function parseExport(args: string[]): AuditCommand {
  const values = parse(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    mailbox: { type: 'string' },
    requester: { type: 'string' },
    request: { type: 'string' },
    ticket: { type: 'string' },
    out: { type: 'string' },
  });
  const { from, to } = parsePeriod(values);
  const format = required('--format', values.format);
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) {
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got "${format}")`);
  }

  // The store's `to` bound is inclusive; the command line's is exclusive.
  const query: AuditQuery = { from, to: to - 1 };
  if (values.mailbox !== undefined) query.mailbox = nonEmpty('--mailbox', values.mailbox);
  if (values.ticket !== undefined) query.ticket = nonEmpty('--ticket', values.ticket);
  if (values.request !== undefined) {
    if (!isRequestId(values.request)) throw new UsageError(`--request must be a request ID like CUS-2026-0001 (got "${values.request}")`);
    query.requestId = normaliseRequestId(values.request);
  }
  let requesterUpn: string | undefined;
  if (values.requester !== undefined) {
    const requester = nonEmpty('--requester', values.requester);
    if (requester.includes('@')) requesterUpn = requester;
    else query.actorId = requester;
  }
  const out = values.out === undefined ? undefined : nonEmpty('--out', values.out);
  return { command: 'export', query, requesterUpn, format: format as ExportFormat, out };
}

function parseRetention(args: string[]): AuditCommand {
  const values = parse(args, { days: { type: 'string' }, 'export-dir': { type: 'string' } });
  const daysText = required('--days', values.days);
  if (!/^\d+$/.test(daysText) || Number(daysText) < 1) {
    throw new UsageError(`--days must be a whole number of days, at least 1 (got "${daysText}")`);
  }
  const exportDir = nonEmpty('--export-dir', required('--export-dir', values['export-dir']));
  return { command: 'retention', days: Number(daysText), exportDir };
}

function required(name: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`Missing ${name}`);
  return value;
}

function nonEmpty(name: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new UsageError(`${name} must not be empty`);
  return trimmed;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date (UTC midnight) or an ISO time that states its zone; nothing ambiguous. */
export function parseTime(name: string, text: string): number {
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const [year, month, day] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    const ms = Date.UTC(year, month - 1, day);
    const check = new Date(ms);
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) return ms;
  } else if (DATE_TIME.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(`${name} must be a date like 2026-01-31 or a time like 2026-01-31T08:00:00Z (got "${text}")`);
}
