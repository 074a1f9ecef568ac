import { randomUUID } from 'node:crypto';
import { authorize, hasAnyRole, isResponse } from './authorize';
import {
  decodeSkipToken,
  encodeSkipToken,
  graphError,
  json,
  parseJsonBody,
  type LocalRequest,
  type LocalResponse,
  type Route,
} from './http';
import type { AuditQuery, AuditRecord, TenantState } from './state';
import type { AccessClaims, TokenIssuer } from './tokens';

interface AuditContext {
  state: TenantState;
  issuer: TokenIssuer;
  graphBaseUrl: string;
}

const AUDIT_ROLES = ['AuditLogsQuery.Read.All', 'AuditLogsQuery-Exchange.Read.All'];

/**
 * Purview audit search (/security/auditLog/queries): create a query, poll its
 * status (state.audit decides how many polls say "running" and how it ends),
 * then read its records in pages.
 */
export function matchAuditLog(req: LocalRequest, version: string, path: string[], ctx: AuditContext): Route | undefined {
  if (path[1] !== 'auditLog' || path[2] !== 'queries') return undefined;
  const route = (tag: string, run: (claims: AccessClaims) => LocalResponse): Route => ({
    tags: ['graph', 'audit', `audit:${tag}`, `audit:${version}`],
    run: () => {
      const claims = authorize(req, ctx.issuer, ctx.graphBaseUrl);
      if (isResponse(claims)) return claims;
      // Fact 13: v1.0 answered 404 UnknownError with an empty message in a live tenant while beta worked (graph2otel; CIPP uses beta).
      if (version === 'v1.0' && ctx.state.realism.auditSearchV1NotFound) return graphError(404, 'UnknownError', '');
      if (!hasAnyRole(claims, AUDIT_ROLES) || !ctx.state.audit.available) {
        return graphError(
          403,
          'Forbidden',
          'The caller does not have permission to perform the action: missing application permission AuditLogsQuery-Exchange.Read.All.',
        );
      }
      return run(claims);
    },
  });
  const id = path[3];
  if (req.method === 'POST' && path.length === 3) return route('create', () => createQuery(req, ctx));
  if (req.method === 'GET' && path.length === 3) return route('list', () => listQueries(version, ctx));
  if (req.method === 'GET' && path.length === 4) return route('poll', () => pollQuery(id, ctx));
  if (req.method === 'GET' && path.length === 5 && path[4] === 'records') return route('records', () => listRecords(req, version, id, ctx));
  return undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function queryJson(q: AuditQuery, ctx: AuditContext): Record<string, unknown> {
  return {
    '@odata.context': `${ctx.graphBaseUrl}/beta/$metadata#security/auditLog/queries/$entity`,
    id: q.id,
    displayName: q.displayName,
    filterStartDateTime: q.filterStartDateTime,
    filterEndDateTime: q.filterEndDateTime,
    recordTypeFilters: q.recordTypeFilters,
    keywordFilter: null,
    serviceFilters: [],
    operationFilters: q.operationFilters,
    userPrincipalNameFilters: q.userPrincipalNameFilters,
    ipAddressFilters: [],
    objectIdFilters: q.objectIdFilters,
    administrativeUnitIdFilters: [],
    status: q.status,
  };
}

function createQuery(req: LocalRequest, ctx: AuditContext): LocalResponse {
  const body = parseJsonBody(req) as Record<string, unknown> | undefined;
  if (!body) return graphError(400, 'BadRequest', 'The request body is missing or not JSON.');
  const start = typeof body.filterStartDateTime === 'string' ? Date.parse(body.filterStartDateTime) : NaN;
  const end = typeof body.filterEndDateTime === 'string' ? Date.parse(body.filterEndDateTime) : NaN;
  if (Number.isNaN(start) || Number.isNaN(end) || start >= end) {
    return graphError(400, 'BadRequest', 'filterStartDateTime and filterEndDateTime must be dates, the start before the end.');
  }
  const query: AuditQuery = {
    id: randomUUID(),
    displayName: typeof body.displayName === 'string' ? body.displayName : 'query',
    filterStartDateTime: new Date(start).toISOString(),
    filterEndDateTime: new Date(end).toISOString(),
    recordTypeFilters: strings(body.recordTypeFilters),
    operationFilters: strings(body.operationFilters),
    userPrincipalNameFilters: strings(body.userPrincipalNameFilters),
    objectIdFilters: strings(body.objectIdFilters),
    polls: 0,
    status: 'notStarted',
  };
  ctx.state.audit.queries.set(query.id, query);
  return json(201, queryJson(query, ctx));
}

/** GET /security/auditLog/queries lists the saved searches (learn.microsoft.com/graph/api/security-auditcoreroot-list-auditlogqueries); the doctor probes with it. */
function listQueries(version: string, ctx: AuditContext): LocalResponse {
  const value = [...ctx.state.audit.queries.values()].map((q) => {
    const { '@odata.context': _context, ...rest } = queryJson(q, ctx);
    return rest;
  });
  return json(200, { '@odata.context': `${ctx.graphBaseUrl}/${version}/$metadata#security/auditLog/queries`, value });
}

function pollQuery(id: string, ctx: AuditContext): LocalResponse {
  const query = ctx.state.audit.queries.get(id);
  if (!query) return graphError(404, 'NotFound', `The audit log query '${id}' was not found.`);
  query.polls += 1;
  if (query.status !== 'succeeded' && query.status !== 'failed') {
    query.status = query.polls > ctx.state.audit.pollsBeforeDone ? ctx.state.audit.outcome : 'running';
  }
  return json(200, queryJson(query, ctx));
}

function matches(record: AuditRecord, q: AuditQuery): boolean {
  const at = Date.parse(record.createdDateTime);
  if (at < Date.parse(q.filterStartDateTime) || at > Date.parse(q.filterEndDateTime)) return false;
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
  if (q.userPrincipalNameFilters.length && !lower(q.userPrincipalNameFilters).includes(record.userPrincipalName.toLowerCase()))
    return false;
  if (q.recordTypeFilters.length && !q.recordTypeFilters.includes(record.auditLogRecordType)) return false;
  if (q.operationFilters.length && !lower(q.operationFilters).includes(record.operation.toLowerCase())) return false;
  if (q.objectIdFilters.length && !q.objectIdFilters.some((o) => (record.objectId ?? '').toLowerCase().includes(o.toLowerCase())))
    return false;
  return true;
}

function listRecords(req: LocalRequest, version: string, id: string, ctx: AuditContext): LocalResponse {
  const query = ctx.state.audit.queries.get(id);
  if (!query) return graphError(404, 'NotFound', `The audit log query '${id}' was not found.`);
  if (query.status !== 'succeeded')
    return graphError(400, 'BadRequest', `The audit log query is ${query.status}; records are available once it has succeeded.`);
  // A finished search has a fixed result: the records searchable when it first answered; later arrivals need a
  // new search (Graph: an auditLogQuery runs once, and its records are read from it after its status is succeeded,
  // learn.microsoft.com/graph/api/resources/security-auditlogquery).
  const now = ctx.state.now();
  query.results ??= ctx.state.audit.records
    .filter((r) => (r.availableAt ?? 0) <= now && matches(r, query))
    .sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime));
  const all = query.results;
  const skip = decodeSkipToken(req.url.searchParams.get('$skiptoken'));
  if (skip === undefined) return graphError(400, 'BadRequest', 'Skip token is null or invalid.');
  const size = ctx.state.audit.pageSize;
  const page = all.slice(skip, skip + size).map((r) => ({
    id: r.id,
    createdDateTime: r.createdDateTime,
    auditLogRecordType: r.auditLogRecordType,
    operation: r.operation,
    organizationId: ctx.state.tenantId,
    userType: 'regular',
    userId: r.userPrincipalName,
    service: 'Exchange',
    objectId: r.objectId ?? null,
    userPrincipalName: r.userPrincipalName,
    clientIp: '203.0.113.10',
    administrativeUnits: [],
    auditData: { ...r.auditData, CreationTime: r.createdDateTime, UserId: r.userPrincipalName },
  }));
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.graphBaseUrl}/${version}/$metadata#security/auditLog/queries('${id}')/records`,
    value: page,
  };
  if (skip + size < all.length) {
    body['@odata.nextLink'] =
      `${ctx.graphBaseUrl}/${version}/security/auditLog/queries/${id}/records?$skiptoken=${encodeSkipToken(skip + size)}`;
  }
  return json(200, body);
}
