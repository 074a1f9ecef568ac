import { graphError, json, type LocalRequest, type LocalResponse } from './http';
import type { TenantState } from './state';

// Pages of Exchange Admin API list answers, as fact 12 of real-tenant.md
// describes them: @odata.nextLink works on v2.0 endpoints but expires;
// replaying it on beta InvokeCommand answers 400 "Expired or Invalid
// pagination request" at once. The message and its 30-minute default are as
// captured live (graph2otel internal/exoclient; Microsoft Q&A 1023619,
// "Write-ErrorMessage : Expired or Invalid pagination request. Default Expiry
// time is 00:30:00").

export const PAGINATION_REFUSED = 'Expired or Invalid pagination request. Default Expiry time is 00:30:00';

/** The skip token: where the next page starts and when its link was issued. */
function encode(offset: number, issuedAt: number): string {
  return Buffer.from(`offset:${offset}:issued:${issuedAt}`).toString('base64url');
}

function decode(token: string): { offset: number; issuedAt: number } | undefined {
  const m = Buffer.from(token, 'base64url')
    .toString()
    .match(/^offset:(\d+):issued:(\d+)$/);
  return m ? { offset: Number(m[1]), issuedAt: Number(m[2]) } : undefined;
}

/** One page of `rows` for the POST in `req`, with @odata.nextLink when more follow. */
export function exchangePage(
  req: LocalRequest,
  endpoint: string,
  rows: unknown[],
  head: Record<string, unknown>,
  state: TenantState,
  exchangeBaseUrl: string,
): LocalResponse {
  const token = req.url.searchParams.get('$skiptoken');
  let offset = 0;
  if (token) {
    const decoded = decode(token);
    const now = state.now();
    const refused =
      !decoded || (state.realism.expiringNextLinks && (endpoint === 'InvokeCommand' || now - decoded.issuedAt > state.paging.lifetimeMs));
    if (refused) return graphError(400, 'BadRequest', PAGINATION_REFUSED);
    offset = decoded.offset;
  }
  const size = state.pageSize.exchange;
  const answer: Record<string, unknown> = { ...head, value: rows.slice(offset, offset + size) };
  if (offset + size < rows.length) {
    const next = new URL(req.url.toString());
    next.searchParams.set('$skiptoken', encode(offset + size, state.now()));
    answer['@odata.nextLink'] = `${exchangeBaseUrl}${next.pathname.replace(/^\/exchange/, '')}${next.search}`;
  }
  return json(200, answer);
}
