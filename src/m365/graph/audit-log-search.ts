import { z } from 'zod';
import { systemClock, type Clock } from '../../shared/clock';
import { backoffDelay, realSleep } from '../../shared/retry';
import type { ActivitySearch, ActivitySearchParams, ActivitySummary } from '../activity-search';
import type { AuditRecordQuery, AuditRecordSearch, UnifiedAuditRecord } from '../audit-records';
import type { GraphApi } from './graph-api';
import { GraphError } from './graph-error';
import { parseShape, requireAddress } from './graph-shapes';

export interface AuditLogSearchOptions {
  /** How long to wait for Purview to finish one query (default 10 min). */
  pollBudgetMs?: number;
  /** First wait between status polls (default 5 s), doubling up to pollMaxDelayMs (default 60 s). */
  pollBaseDelayMs?: number;
  pollMaxDelayMs?: number;
  /** Stop reading records after this many (default 10 000). */
  maxRecords?: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
}

// Mailbox item events: single items, groups of items, and the aggregated
// MailItemsAccessed records.
const RECORD_TYPES = ['exchangeItem', 'exchangeItemGroup', 'exchangeItemAggregated'];

const queryShape = z.object({ id: z.string().min(1), status: z.string().optional() });
const recordShape = z.object({
  id: z.string().optional(),
  createdDateTime: z.string(),
  operation: z.string().nullable().optional(),
  userPrincipalName: z.string().nullable().optional(),
  objectId: z.string().nullable().optional(),
  auditData: z.record(z.string(), z.unknown()).nullable().optional(),
});
const recordPageShape = z.object({ value: z.array(recordShape), '@odata.nextLink': z.string().optional() });
type AuditRecord = z.infer<typeof recordShape>;

/**
 * Purview audit search through Graph beta (/security/auditLog/queries, app
 * permission AuditLogsQuery-Exchange.Read.All): create a query, poll its status,
 * then page through its records. Beta, because v1.0 was seen answering 404
 * UnknownError in a live tenant while beta worked, and CIPP uses beta for all
 * three calls (fact 13 of real-tenant.md).
 *
 * The query filters on the grantee (userPrincipalNameFilters) and the mailbox
 * record types. The mailbox itself is matched on the records (auditData
 * MailboxOwnerUPN): objectIdFilters names the changed object for admin
 * cmdlets, not the mailbox of an item event.
 */
export class GraphAuditLogSearch implements ActivitySearch, AuditRecordSearch {
  private readonly clock: Clock;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly graph: GraphApi,
    private readonly options: AuditLogSearchOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
  }

  async summarize(params: ActivitySearchParams): Promise<ActivitySummary | { unavailable: string }> {
    const mailbox = requireAddress(params.mailbox, 'Mailbox');
    const grantee = requireAddress(params.grantee, 'Grantee');
    if (!(Number.isFinite(params.from) && Number.isFinite(params.to) && params.from < params.to)) {
      throw new RangeError('Activity window: "from" must be before "to".');
    }
    try {
      const queryId = await this.createQuery(mailbox, grantee, params.from, params.to);
      const outcome = await this.waitFor(queryId);
      if (outcome !== 'succeeded') return { unavailable: outcome };
      const records = await this.readRecords(queryId);
      return summarise(
        { mailbox, grantee, from: params.from, to: params.to },
        records.filter((r) => concernsMailbox(r, mailbox)),
      );
    } catch (err) {
      return { unavailable: reasonFor(err) };
    }
  }

  /** Every record of the given types (and operations) in a window: the admin-audit correlation's query. */
  async searchRecords(query: AuditRecordQuery): Promise<{ records: UnifiedAuditRecord[]; truncated: boolean } | { unavailable: string }> {
    if (!(Number.isFinite(query.from) && Number.isFinite(query.to) && query.from < query.to)) {
      throw new RangeError('Audit search window: "from" must be before "to".');
    }
    try {
      const queryId = await this.postQuery({
        '@odata.type': '#microsoft.graph.security.auditLogQuery',
        displayName: `Custodian trace ${new Date(query.from).toISOString()} to ${new Date(query.to).toISOString()}`,
        filterStartDateTime: new Date(query.from).toISOString(),
        filterEndDateTime: new Date(query.to).toISOString(),
        recordTypeFilters: query.recordTypes,
        ...(query.operations ? { operationFilters: [...query.operations] } : {}),
      });
      const outcome = await this.waitFor(queryId);
      if (outcome !== 'succeeded') return { unavailable: outcome };
      const raw = await this.readRecords(queryId, query.maxRecords + 1);
      const records = raw.slice(0, query.maxRecords).flatMap((r) => {
        const at = Date.parse(r.createdDateTime);
        if (Number.isNaN(at) || !r.id) return [];
        const data = r.auditData ?? {};
        const userId = r.userPrincipalName ?? (typeof data.UserId === 'string' ? data.UserId : '');
        return [{ id: r.id, at, operation: r.operation ?? '', userId, objectId: r.objectId ?? undefined, auditData: data }];
      });
      return { records, truncated: raw.length > query.maxRecords };
    } catch (err) {
      return { unavailable: reasonFor(err) };
    }
  }

  private createQuery(mailbox: string, grantee: string, from: number, to: number): Promise<string> {
    return this.postQuery({
      '@odata.type': '#microsoft.graph.security.auditLogQuery',
      displayName: `Mailbox activity of ${grantee} in ${mailbox}`,
      filterStartDateTime: new Date(from).toISOString(),
      filterEndDateTime: new Date(to).toISOString(),
      recordTypeFilters: RECORD_TYPES,
      userPrincipalNameFilters: [grantee],
    });
  }

  private async postQuery(body: Record<string, unknown>): Promise<string> {
    const created = await this.graph.call('create audit query', (api) => api('/security/auditLog/queries').version('beta').post(body));
    return parseShape(queryShape, created, 'create audit query').id;
  }

  /** 'succeeded', or the reason the records cannot be read. */
  private async waitFor(queryId: string): Promise<string> {
    const budget = this.options.pollBudgetMs ?? 10 * 60_000;
    const base = this.options.pollBaseDelayMs ?? 5_000;
    const max = this.options.pollMaxDelayMs ?? 60_000;
    const started = this.clock.now();
    for (let poll = 1; ; poll++) {
      const body = await this.graph.call('read audit query status', (api) =>
        api(`/security/auditLog/queries/${encodeURIComponent(queryId)}`)
          .version('beta')
          .get(),
      );
      const status = parseShape(queryShape, body, 'read audit query status').status ?? 'unknown';
      if (status === 'succeeded') return status;
      if (status === 'failed' || status === 'cancelled') return `Purview reported the audit search as ${status}.`;
      const wait = backoffDelay(poll, base, max);
      if (this.clock.now() - started + wait > budget) {
        return `The audit search did not finish within ${Math.round(budget / 1000)} s (last status: ${status}).`;
      }
      await this.sleep(wait);
    }
  }

  private async readRecords(queryId: string, max?: number): Promise<AuditRecord[]> {
    const limit = max ?? this.options.maxRecords ?? 10_000;
    const records: AuditRecord[] = [];
    let next: string | undefined = `/security/auditLog/queries/${encodeURIComponent(queryId)}/records?$top=999`;
    while (next && records.length < limit) {
      const url: string = next;
      // $top=999 as CIPP asks; a nextLink is absolute and keeps its version.
      const body = await this.graph.call('read audit records', (api) => (/^https:/i.test(url) ? api(url) : api(url).version('beta')).get());
      const page = parseShape(recordPageShape, body, 'read audit records');
      records.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return records.slice(0, limit);
  }
}

function concernsMailbox(record: AuditRecord, mailbox: string): boolean {
  const owner = record.auditData?.MailboxOwnerUPN;
  if (typeof owner === 'string') return owner.toLowerCase() === mailbox.toLowerCase();
  return typeof record.objectId === 'string' && record.objectId.toLowerCase().includes(mailbox.toLowerCase());
}

function summarise(window: Omit<ActivitySummary, 'recordCount' | 'operations'>, records: AuditRecord[]): ActivitySummary {
  const operations: Record<string, number> = {};
  let first: number | undefined;
  let last: number | undefined;
  for (const r of records) {
    const op = r.operation || 'Unknown';
    operations[op] = (operations[op] ?? 0) + 1;
    const at = Date.parse(r.createdDateTime);
    if (Number.isNaN(at)) continue;
    first = first === undefined ? at : Math.min(first, at);
    last = last === undefined ? at : Math.max(last, at);
  }
  return { ...window, recordCount: records.length, operations, firstActivityAt: first, lastActivityAt: last };
}

function reasonFor(err: unknown): string {
  if (err instanceof GraphError) {
    if (err.status === 401 || err.status === 403) {
      return 'The app may not search the audit log (it needs the Graph application permission AuditLogsQuery-Exchange.Read.All).';
    }
    if (err.code === 'malformedResponse') return 'The audit search answered in an unexpected format.';
    return `The audit search failed (${err.status ? `HTTP ${err.status} ` : ''}${err.code}).`;
  }
  return `The audit search failed (${err instanceof Error ? err.message : String(err)}).`;
}
