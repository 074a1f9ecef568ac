import { stringify } from 'csv-stringify/sync';
import type { AuditEvent } from '../domain/types';
import type { AuditQuery, Store } from '../store/store';

export type ExportFormat = 'csv' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json'];

export interface ExportOptions {
  /** Records read from the store per round trip. */
  pageSize?: number;
  /** Extra condition the store cannot express (e.g. requester by UPN); query.limit then counts matches. */
  filter?: (event: AuditEvent) => boolean;
}

export const CSV_COLUMNS = [
  'seq',
  'at',
  'type',
  'actorId',
  'actorName',
  'actorUpn',
  'requestId',
  'ticket',
  'mailbox',
  'jurisdiction',
  'details',
  'prevHash',
  'hash',
] as const;

/**
 * Streams the matching records, oldest first, as CSV (header + one row per
 * record) or as a JSON array of full records (which can be verified again).
 * Reads page by page, so exports of any size use little memory.
 */
export function exportAudit(store: Store, query: AuditQuery, format: ExportFormat, options: ExportOptions = {}): AsyncIterable<string> {
  if (!EXPORT_FORMATS.includes(format)) throw new Error(`Unknown export format "${String(format)}": use csv or json`);
  return formatRecords(matchingRecords(store, query, options), format);
}

/** Serialises records as they arrive: CSV with a header row, or a JSON array. */
export async function* formatRecords(records: AsyncIterable<AuditEvent>, format: ExportFormat): AsyncIterable<string> {
  let first = true;
  yield format === 'csv' ? csvLine([...CSV_COLUMNS]) : '[';
  for await (const event of records) {
    yield format === 'csv' ? csvLine(csvRow(event)) : `${first ? '\n' : ',\n'}${JSON.stringify(plainRecord(event))}`;
    first = false;
  }
  if (format === 'json') yield first ? ']\n' : '\n]\n';
}

/** Matching records in seq order, fetched in pages. */
export async function* matchingRecords(store: Store, query: AuditQuery, options: ExportOptions = {}): AsyncIterable<AuditEvent> {
  const pageSize = options.pageSize ?? 500;
  const wanted = query.limit ?? Number.POSITIVE_INFINITY;
  let emitted = 0;
  let fromSeq = query.fromSeq;
  while (emitted < wanted) {
    const limit = options.filter ? pageSize : Math.min(pageSize, wanted - emitted);
    const page = await store.listAudit({ ...query, fromSeq, limit });
    for (const event of page) {
      if (options.filter && !options.filter(event)) continue;
      yield event;
      if (++emitted >= wanted) return;
    }
    if (page.length < limit) return;
    fromSeq = page[page.length - 1].seq + 1;
  }
}

/** The AuditEvent fields only, in a fixed order, without store bookkeeping such as _id. */
export function plainRecord(event: AuditEvent): AuditEvent {
  const actor: AuditEvent['actor'] = { aadObjectId: event.actor.aadObjectId };
  if (event.actor.name != null) actor.name = event.actor.name;
  if (event.actor.upn != null) actor.upn = event.actor.upn;
  // Built in declaration order so every export lists the fields the same way.
  const optional: Partial<AuditEvent> = {};
  if (event.requestId != null) optional.requestId = event.requestId;
  if (event.ticket != null) optional.ticket = event.ticket;
  if (event.mailbox != null) optional.mailbox = event.mailbox;
  if (event.jurisdiction != null) optional.jurisdiction = event.jurisdiction;
  return {
    seq: event.seq,
    at: event.at,
    type: event.type,
    actor,
    ...optional,
    details: event.details,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

function csvRow(event: AuditEvent): string[] {
  return [
    String(event.seq),
    new Date(event.at).toISOString(),
    event.type,
    event.actor.aadObjectId,
    event.actor.name ?? '',
    event.actor.upn ?? '',
    event.requestId ?? '',
    event.ticket ?? '',
    event.mailbox ?? '',
    event.jurisdiction ?? '',
    JSON.stringify(event.details ?? {}),
    event.prevHash,
    event.hash,
  ];
}

// Cells that start with = + - @ are prefixed with ' so that a spreadsheet opening
// the export does not run a formula smuggled in through a ticket or display name.
function csvLine(cells: string[]): string {
  return stringify([cells], { escape_formulas: true, quoted_match: /^\s|\s$/ });
}
