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
import type { TenantState, TenantUser } from './state';
import type { AccessClaims, TokenIssuer } from './tokens';
import { matchAuditLog } from './audit-routes';

export interface GraphRouteContext {
  state: TenantState;
  issuer: TokenIssuer;
  /** https://127.0.0.1:port/graph : token audience and URL prefix. */
  graphBaseUrl: string;
}

const READ_USERS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'User.ReadBasic.All'];
const READ_MEMBERSHIP = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const READ_MAILBOX_SETTINGS = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];
const SEND_MAIL = ['Mail.Send'];

const DEFAULT_USER_FIELDS = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

/** Microsoft Graph v1.0, the parts the app uses. Paths arrive without the /graph prefix. */
export function matchGraph(req: LocalRequest, segments: string[], ctx: GraphRouteContext): Route | undefined {
  const [version, ...path] = segments;
  const route = (tag: string, run: (claims: AccessClaims) => LocalResponse): Route => ({
    tags: ['graph', `graph:${tag}`],
    run: () => {
      const claims = authorize(req, ctx.issuer, ctx.graphBaseUrl);
      if (isResponse(claims)) return claims;
      return run(claims);
    },
  });
  if (version !== 'v1.0') {
    return { tags: ['graph'], run: () => graphError(400, 'BadRequest', `Invalid version: ${version ?? ''}`) };
  }
  const m = req.method;
  if (path[0] === 'security') {
    const audit = matchAuditLog(req, path, ctx);
    if (audit) return audit;
  }
  if (path[0] === 'users') {
    if (m === 'GET' && path.length === 1) return route('users', (c) => listUsers(req, c, ctx));
    const id = path[1];
    if (m === 'GET' && path.length === 2) return route('user', (c) => getUser(req, id, c, ctx));
    if (m === 'GET' && path.length === 3 && path[2] === 'manager') return route('manager', (c) => getManager(id, c, ctx));
    if (m === 'GET' && path.length === 3 && path[2] === 'mailboxSettings')
      return route('mailboxSettings', (c) => getMailboxSettings(id, c, ctx));
    if (m === 'POST' && path.length === 3 && path[2] === 'checkMemberGroups')
      return route('checkMemberGroups', (c) => checkMemberGroups(req, id, c, ctx));
    if (m === 'GET' && path.length === 3 && path[2] === 'transitiveMemberOf')
      return route('transitiveMemberOf', (c) => transitiveMemberOf(id, c, ctx));
    if (m === 'POST' && path.length === 3 && path[2] === 'sendMail') return route('sendMail', (c) => sendMail(req, id, c, ctx));
  }
  return {
    tags: ['graph'],
    run: () => graphError(400, 'BadRequest', `Resource not found for the segment '${path[path.length - 1] ?? ''}'.`),
  };
}

function denied(): LocalResponse {
  return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

function notFound(id: string): LocalResponse {
  return graphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function lookUp(idOrUpn: string, ctx: GraphRouteContext): TenantUser | undefined {
  const key = idOrUpn.toLowerCase();
  return ctx.state.userById(key) ?? [...ctx.state.users.values()].find((u) => u.userPrincipalName === key);
}

function userJson(u: TenantUser, select: string[] | undefined): Record<string, unknown> {
  const [given, ...rest] = u.displayName.split(' ');
  const full: Record<string, unknown> = {
    id: u.id,
    businessPhones: [],
    displayName: u.displayName,
    givenName: given ?? null,
    surname: rest.join(' ') || null,
    jobTitle: u.jobTitle ?? null,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    userPrincipalName: u.userPrincipalName,
    department: u.department ?? null,
    accountEnabled: true,
  };
  const fields = select ?? DEFAULT_USER_FIELDS;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in full) out[f] = full[f];
  return out;
}

function selectOf(req: LocalRequest): string[] | undefined {
  const raw = req.url.searchParams.get('$select');
  return raw
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

type Clause = { field: string; value: string };

/** `a eq 'x' or b eq 'y'`: the subset of OData $filter the app sends. */
export function parseFilter(filter: string): Clause[] | undefined {
  const clauses: Clause[] = [];
  let rest = filter.trim();
  const clause = /^(\w+)\s+eq\s+'((?:[^']|'')*)'\s*/i;
  while (rest) {
    const m = rest.match(clause);
    if (!m) return undefined;
    clauses.push({ field: m[1], value: m[2].replace(/''/g, "'") });
    rest = rest.slice(m[0].length);
    if (!rest) break;
    const or = rest.match(/^or\s+/i);
    if (!or) return undefined;
    rest = rest.slice(or[0].length);
  }
  return clauses.length ? clauses : undefined;
}

function listUsers(req: LocalRequest, claims: AccessClaims, ctx: GraphRouteContext): LocalResponse {
  if (!hasAnyRole(claims, READ_USERS)) return denied();
  let users = [...ctx.state.users.values()];
  const filter = req.url.searchParams.get('$filter');
  if (filter) {
    const clauses = parseFilter(filter);
    const fields = new Set(['userPrincipalName', 'mail', 'id', 'displayName']);
    if (!clauses || clauses.some((c) => !fields.has(c.field))) {
      return graphError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property of resource 'User'.`,
      );
    }
    users = users.filter((u) =>
      clauses.some((c) => {
        const v =
          c.field === 'userPrincipalName' ? u.userPrincipalName : c.field === 'mail' ? u.mail : c.field === 'id' ? u.id : u.displayName;
        return typeof v === 'string' && v.toLowerCase() === c.value.toLowerCase();
      }),
    );
  }
  const top = Number(req.url.searchParams.get('$top') ?? ctx.state.pageSize.graphUsers);
  if (!Number.isInteger(top) || top < 1 || top > 999)
    return graphError(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${req.url.searchParams.get('$top')}'. Must be between 1 and 999 inclusive.`,
    );
  const skip = decodeSkipToken(req.url.searchParams.get('$skiptoken'));
  if (skip === undefined) return graphError(400, 'Request_BadRequest', 'Skip token is null or invalid.');
  const page = users.slice(skip, skip + top);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.graphBaseUrl}/v1.0/$metadata#users`,
    value: page.map((u) => userJson(u, selectOf(req))),
  };
  if (skip + top < users.length) {
    const next = new URL(req.url.toString());
    next.searchParams.set('$skiptoken', encodeSkipToken(skip + top));
    body['@odata.nextLink'] = `${ctx.graphBaseUrl}${next.pathname.replace(/^\/graph/, '')}${next.search}`;
  }
  return json(200, body);
}

function getUser(req: LocalRequest, id: string, claims: AccessClaims, ctx: GraphRouteContext): LocalResponse {
  if (!hasAnyRole(claims, READ_USERS)) return denied();
  const user = lookUp(id, ctx);
  if (!user) return notFound(id);
  return json(200, { '@odata.context': `${ctx.graphBaseUrl}/v1.0/$metadata#users/$entity`, ...userJson(user, selectOf(req)) });
}

function getManager(id: string, claims: AccessClaims, ctx: GraphRouteContext): LocalResponse {
  if (!hasAnyRole(claims, READ_USERS)) return denied();
  const user = lookUp(id, ctx);
  if (!user) return notFound(id);
  const manager = user.managerId ? ctx.state.userById(user.managerId) : undefined;
  if (!manager) return notFound('manager');
  return json(200, {
    '@odata.context': `${ctx.graphBaseUrl}/v1.0/$metadata#directoryObjects/$entity`,
    '@odata.type': '#microsoft.graph.user',
    ...userJson(manager, undefined),
  });
}

function getMailboxSettings(id: string, claims: AccessClaims, ctx: GraphRouteContext): LocalResponse {
  if (!hasAnyRole(claims, READ_MAILBOX_SETTINGS))
    return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  const user = lookUp(id, ctx);
  if (!user) return notFound(id);
  const mailbox = ctx.state.mailbox(user.userPrincipalName);
  if (!mailbox)
    return graphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  return json(200, {
    '@odata.context': `${ctx.graphBaseUrl}/v1.0/$metadata#users('${user.id}')/mailboxSettings`,
    archiveFolder: 'AAMkArchive',
    timeZone: 'W. Europe Standard Time',
    language: { locale: 'en-US', displayName: 'English (United States)' },
    dateFormat: 'dd.MM.yyyy',
    timeFormat: 'HH:mm',
    userPurpose: mailbox.type === 'SharedMailbox' ? 'shared' : 'user',
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
  });
}

function checkMemberGroups(req: LocalRequest, id: string, claims: AccessClaims, ctx: GraphRouteContext): LocalResponse {
  if (!hasAnyRole(claims, READ_MEMBERSHIP) || !hasAnyRole(claims, READ_USERS)) return denied();
  const body = parseJsonBody(req) as { groupIds?: unknown } | undefined;
  const ids = body?.groupIds;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 20 || !ids.every((g) => typeof g === 'string')) {
    return graphError(
      400,
      'Request_BadRequest',
      "Invalid value specified for property 'groupIds' of resource 'checkMemberGroups'; 1 to 20 group IDs are required.",
    );
  }
  const user = lookUp(id, ctx);
  if (!user) return notFound(id);
  const member = ctx.state.memberGroupsOf(user.id);
  return json(200, {
    '@odata.context': `${ctx.graphBaseUrl}/v1.0/$metadata#Collection(Edm.String)`,
    value: (ids as string[]).filter((g) => member.has(g.toLowerCase())),
  });
}

function transitiveMemberOf(id: string, claims: AccessClaims, ctx: GraphRouteContext): LocalResponse {
  if (!hasAnyRole(claims, READ_MEMBERSHIP) || !hasAnyRole(claims, READ_USERS)) return denied();
  const user = lookUp(id, ctx);
  if (!user) return notFound(id);
  const groups = [...ctx.state.memberGroupsOf(user.id)].map((g) => ctx.state.groups.get(g)!);
  return json(200, {
    '@odata.context': `${ctx.graphBaseUrl}/v1.0/$metadata#directoryObjects`,
    value: groups.map((g) => ({ '@odata.type': '#microsoft.graph.group', id: g.id, displayName: g.displayName })),
  });
}

const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function sendMail(req: LocalRequest, id: string, claims: AccessClaims, ctx: GraphRouteContext): LocalResponse {
  if (!hasAnyRole(claims, SEND_MAIL)) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  const sender = lookUp(id, ctx);
  if (!sender) return graphError(404, 'ErrorInvalidUser', `The requested user '${id}' is invalid.`);
  if (!ctx.state.mailbox(sender.userPrincipalName))
    return graphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  const body = parseJsonBody(req) as
    | {
        message?: {
          subject?: unknown;
          body?: { contentType?: unknown; content?: unknown };
          toRecipients?: Array<{ emailAddress?: { address?: unknown } }>;
        };
      }
    | undefined;
  const message = body?.message;
  if (!message) return graphError(400, 'ErrorInvalidRequest', 'Cannot read the request body: the message is missing.');
  const recipients = (message.toRecipients ?? []).map((r) => r?.emailAddress?.address);
  if (recipients.length === 0 || !recipients.every((a): a is string => typeof a === 'string' && ADDRESS.test(a))) {
    return graphError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid., Recipient is not valid.');
  }
  ctx.state.sentMails.push({
    from: sender.userPrincipalName,
    to: recipients,
    subject: typeof message.subject === 'string' ? message.subject : '',
    body: typeof message.body?.content === 'string' ? message.body.content : '',
    contentType: typeof message.body?.contentType === 'string' ? message.body.contentType : 'Text',
    at: Date.now(),
  });
  return { status: 202 };
}
