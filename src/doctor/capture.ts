import { writeFileSync } from 'node:fs';
import { PLACEHOLDERS, type CaptureFile, type CapturedAnswer } from '../local-tenant/capture-format';
import type { M365Clients } from '../m365/connect';
import type { M365Config } from '../m365/config';
import { createTrustedFetch, timeoutSignal, type FetchResponse } from '../m365/auth/trusted-fetch';
import { appAnchor, mailboxAnchor } from '../m365/exchange-online/admin-api-client';
import { shapeOf, shapeOfBody } from './capture-shape';

// `npm run doctor -- --capture FILE`: the read-only calls Custodian makes, sent
// raw so that each answer is recorded as it came (status, the headers that
// matter, the body's shape), against the service mailbox only. Nothing is changed.

interface Call {
  call: string;
  match: string[];
  resource: 'graph' | 'exchange';
  method: 'GET' | 'POST';
  url: (ctx: CaptureContext) => string;
  body?: (ctx: CaptureContext) => unknown;
  anchor?: (ctx: CaptureContext) => string;
  /** Keys whose text is kept (scrubbed) in this answer. */
  keep?: string[];
}

interface CaptureContext {
  cfg: M365Config;
  mailbox: string;
  /** Object ID of the service mailbox user, once read. */
  userId: string;
  /** The inbox's name in the service mailbox, once read. */
  inbox: string;
}

const graph = (ctx: CaptureContext, version: string, path: string) => `${ctx.cfg.graphBaseUrl.replace(/\/+$/, '')}/${version}${path}`;
const exo = (ctx: CaptureContext, endpoint: string) =>
  `${ctx.cfg.exchangeBaseUrl.replace(/\/+$/, '')}/adminapi/${endpoint === 'InvokeCommand' ? 'beta' : 'v2.0'}/${encodeURIComponent(ctx.cfg.tenantId)}/${endpoint}`;
const cmdlet = (
  name: string,
  endpoint: string,
  params: (ctx: CaptureContext) => Record<string, unknown>,
  anchor?: (ctx: CaptureContext) => string,
): Call => ({
  call: `${name} (${endpoint === 'InvokeCommand' ? 'beta InvokeCommand' : `v2.0 ${endpoint}`})`,
  match: [`exchange:${name}`],
  resource: 'exchange',
  method: 'POST',
  url: (ctx) => exo(ctx, endpoint),
  body: (ctx) => ({ CmdletInput: { CmdletName: name, Parameters: params(ctx) } }),
  anchor,
});

const SELECT = '$select=id,displayName,userPrincipalName,mail';

/** The calls, in order; later ones use what earlier ones found (user ID, inbox name). */
export const CAPTURE_CALLS: Call[] = [
  {
    call: 'GET /v1.0/users/{upn}',
    match: ['graph:user'],
    resource: 'graph',
    method: 'GET',
    url: (c) => graph(c, 'v1.0', `/users/${encodeURIComponent(c.mailbox)}?${SELECT}`),
  },
  {
    call: 'GET /v1.0/users?$filter=userPrincipalName eq … or mail eq …',
    match: ['graph:users'],
    resource: 'graph',
    method: 'GET',
    url: (c) =>
      graph(
        c,
        'v1.0',
        `/users?$filter=${encodeURIComponent(`userPrincipalName eq '${c.mailbox}' or mail eq '${c.mailbox}'`)}&${SELECT}&$top=2`,
      ),
  },
  {
    call: 'GET /v1.0/users/{id}/manager',
    match: ['graph:manager'],
    resource: 'graph',
    method: 'GET',
    url: (c) => graph(c, 'v1.0', `/users/${c.userId}/manager`),
  },
  {
    call: 'POST /v1.0/users/{id}/checkMemberGroups',
    match: ['graph:checkMemberGroups'],
    resource: 'graph',
    method: 'POST',
    url: (c) => graph(c, 'v1.0', `/users/${c.userId}/checkMemberGroups`),
    body: () => ({ groupIds: ['00000000-0000-4000-8000-000000000000'] }),
  },
  {
    call: 'GET /v1.0/users/{id}/mailboxSettings',
    match: ['graph:mailboxSettings'],
    resource: 'graph',
    method: 'GET',
    url: (c) => graph(c, 'v1.0', `/users/${c.userId}/mailboxSettings`),
  },
  {
    call: 'GET /beta/security/auditLog/queries',
    match: ['audit:list', 'audit:beta'],
    resource: 'graph',
    method: 'GET',
    url: (c) => graph(c, 'beta', '/security/auditLog/queries?$top=1'),
  },
  {
    call: 'GET /v1.0/security/auditLog/queries',
    match: ['audit:list', 'audit:v1.0'],
    resource: 'graph',
    method: 'GET',
    url: (c) => graph(c, 'v1.0', '/security/auditLog/queries?$top=1'),
  },
  cmdlet('Get-Mailbox', 'Mailbox', (c) => ({ Identity: c.mailbox })),
  cmdlet('Get-MailboxPermission', 'InvokeCommand', (c) => ({ Identity: c.mailbox })),
  // The default folder's Name tells the mailbox's language (Innboks), which is what the connectors must cope with.
  { ...cmdlet('Get-MailboxFolderStatistics', 'InvokeCommand', (c) => ({ Identity: c.mailbox, FolderScope: 'Inbox' })), keep: ['Name'] },
  cmdlet('Get-MailboxFolderPermission', 'MailboxFolderPermission', (c) => ({
    Identity: `${c.mailbox}:\\${c.inbox}`,
    ResultSize: 'Unlimited',
  })),
  cmdlet('Get-RecipientPermission', 'InvokeCommand', (c) => ({ Identity: c.mailbox })),
  cmdlet(
    'Get-OrganizationConfig',
    'OrganizationConfig',
    () => ({}),
    (c) => appAnchor(c.mailbox.split('@')[1] ?? ''),
  ),
  cmdlet('Get-MailboxAuditBypassAssociation', 'InvokeCommand', (c) => ({ Identity: c.mailbox })),
];

function claimsOf(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Runs the read-only calls and returns the capture; answers that fail are recorded like any other. */
export async function capture(m365: M365Clients, cfg: M365Config, now: () => Date = () => new Date()): Promise<CaptureFile> {
  const http = createTrustedFetch({ caCertPem: cfg.caCertPem });
  const ctx: CaptureContext = { cfg, mailbox: cfg.serviceMailbox, userId: '00000000-0000-4000-8000-000000000000', inbox: 'Inbox' };
  const answers: CapturedAnswer[] = [];
  const tokens: Record<string, unknown> = {};
  try {
    for (const resource of ['graph', 'exchange'] as const) {
      try {
        tokens[resource] = shapeOf(claimsOf(await m365.tokens.getToken(resource)));
      } catch (err) {
        tokens[resource] = { error: err instanceof Error ? err.name : 'error' };
      }
    }
    for (const call of CAPTURE_CALLS) {
      let token: string;
      try {
        token = await m365.tokens.getToken(call.resource);
      } catch {
        continue;
      }
      const body = call.body?.(ctx);
      let response: FetchResponse;
      let text: string;
      try {
        response = await http.fetch(call.url(ctx), {
          method: call.method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(call.resource === 'exchange'
              ? { 'x-anchormailbox': call.anchor?.(ctx) ?? mailboxAnchor(ctx.mailbox), 'x-responseformat': 'json' }
              : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: timeoutSignal(cfg.requestTimeoutMs ?? 30_000),
        });
        text = await response.text();
      } catch (err) {
        answers.push({
          call: call.call,
          match: call.match,
          status: 0,
          headers: {},
          body: { $noAnswer: err instanceof Error ? err.name : 'error' },
        });
        continue;
      }
      const headers: Record<string, string> = {};
      for (const name of ['retry-after', 'content-type']) {
        const value = response.headers.get(name);
        if (value) headers[name] = value;
      }
      answers.push({
        call: call.call,
        match: call.match,
        status: response.status,
        headers,
        body: withoutUserFolderNames(shapeOfBody(text, new Set(call.keep ?? []))),
      });
      learn(ctx, call, response.status, text);
    }
  } finally {
    await http.close();
  }
  return { format: 'custodian-capture/1', capturedAt: now().toISOString(), origin: 'npm run doctor -- --capture', answers, tokens };
}

/** Folders people created (below the inbox) keep no name: only default folders' names tell the language. */
function withoutUserFolderNames(body: unknown): unknown {
  const rows = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(rows)) return body;
  for (const row of rows as Array<Record<string, unknown>>) {
    if (row && typeof row === 'object' && 'FolderType' in row && row.FolderType === 'User Created') {
      if ('Name' in row) row.Name = PLACEHOLDERS.name;
      if ('FolderPath' in row) row.FolderPath = `/${PLACEHOLDERS.name}`;
    }
  }
  return body;
}

/** Keeps what later calls need (never written to the file). */
function learn(ctx: CaptureContext, call: Call, status: number, text: string): void {
  if (status < 200 || status >= 300) return;
  try {
    const body = JSON.parse(text.replaceAll(String.fromCharCode(0), '')) as { id?: unknown; value?: Array<Record<string, unknown>> };
    if (call.match[0] === 'graph:user' && typeof body.id === 'string') ctx.userId = body.id;
    if (call.match[0] === 'exchange:Get-MailboxFolderStatistics') {
      const inbox = body.value?.find((row) => row.FolderType === 'Inbox') ?? body.value?.[0];
      if (typeof inbox?.Name === 'string' && inbox.Name) ctx.inbox = inbox.Name;
    }
  } catch {
    // Not JSON: nothing to learn.
  }
}

export function writeCapture(file: string, result: CaptureFile): void {
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}
