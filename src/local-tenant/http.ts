import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/** One request as the route handlers see it (body already read). */
export interface LocalRequest {
  method: string;
  url: URL;
  /** Path split into decoded segments. */
  segments: string[];
  headers: IncomingHttpHeaders;
  body: string;
}

/** A matched route: its tags (counters, fault rules) and what answers it. */
export interface Route {
  tags: string[];
  run(): LocalResponse | Promise<LocalResponse>;
}

export interface LocalResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON body (serialised) or raw text. */
  json?: unknown;
  text?: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): LocalResponse {
  return { status, json: body, headers };
}

/** Graph's OData error body. */
export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): LocalResponse {
  return json(
    status,
    {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': randomUUID() },
      },
    },
    headers,
  );
}

/** The Exchange admin API's error body for a failed cmdlet. */
export function exchangeCmdletError(status: number, exceptionType: string, text: string): LocalResponse {
  const shortCode = status === 404 ? 'NotFound' : status === 403 ? 'Forbidden' : 'BadRequest';
  return json(status, {
    error: {
      code: shortCode,
      message: 'Error executing cmdlet',
      details: [{ code: 'Client', target: '', message: `Ex${randomUUID().slice(0, 6).toUpperCase()}|${exceptionType}|${text}` }],
      innererror: {
        message: 'Error executing cmdlet',
        type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException',
        stacktrace: '',
        internalexception: {
          message: "Exception of type 'Microsoft.Exchange.Management.PSDirectInvoke.DirectInvokeCmdletExecutionException' was thrown.",
          type: 'Microsoft.Exchange.Management.PSDirectInvoke.DirectInvokeCmdletExecutionException',
          stacktrace: '',
        },
      },
    },
    'adminapi.warnings@odata.type': '#Collection(String)',
    '@adminapi.warnings': [],
  });
}

export function send(res: ServerResponse, answer: LocalResponse): void {
  const headers: Record<string, string> = { 'request-id': randomUUID(), ...(answer.headers ?? {}) };
  let payload = '';
  if (answer.json !== undefined) {
    payload = JSON.stringify(answer.json);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  } else if (answer.text !== undefined) {
    payload = answer.text;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(answer.status, headers);
  res.end(payload);
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  const match = typeof value === 'string' ? value.match(/^Bearer\s+(\S+)$/i) : null;
  return match?.[1];
}

export function parseJsonBody(req: LocalRequest): unknown | undefined {
  if (!req.body.trim()) return undefined;
  try {
    return JSON.parse(req.body);
  } catch {
    return undefined;
  }
}

/** Opaque paging token: the offset of the next page. */
export function encodeSkipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

/** 0 for no token; undefined for a token we did not make. */
export function decodeSkipToken(token: string | null): number | undefined {
  if (!token) return 0;
  const m = Buffer.from(token, 'base64url')
    .toString()
    .match(/^offset:(\d+)$/);
  return m ? Number(m[1]) : undefined;
}
