import { authorize, hasAnyRole, isResponse } from './authorize';
import { isAuditedCmdlet, recordAdminCmdlet } from './admin-audit';
import { CMDLETS, CmdletFailure, ENDPOINT_CMDLETS } from './exchange-cmdlets';
import {
  exchangeCmdletError,
  graphError,
  invalidCmdletParameters,
  json,
  nulBody,
  parseJsonBody,
  type LocalRequest,
  type LocalResponse,
  type Route,
} from './http';
import { exchangePage } from './exchange-paging';
import type { TenantState } from './state';
import type { TokenIssuer } from './tokens';

export interface ExchangeRouteContext {
  state: TenantState;
  issuer: TokenIssuer;
  /** https://127.0.0.1:port/exchange : token audience and URL prefix. */
  exchangeBaseUrl: string;
}

const APP_ROLES = ['Exchange.ManageAsApp', 'Exchange.ManageAsAppV2'];

/**
 * Exchange Online Admin API: POST /adminapi/v2.0/{tenant}/{Endpoint} and
 * POST /adminapi/beta/{tenant}/InvokeCommand, body {"CmdletInput":{...}}.
 * Paths arrive without the /exchange prefix.
 */
export function matchExchange(req: LocalRequest, segments: string[], ctx: ExchangeRouteContext): Route | undefined {
  const [adminapi, version, tenant, endpoint, ...extra] = segments;
  if (adminapi !== 'adminapi' || extra.length > 0 || !endpoint) return undefined;
  const body = parseJsonBody(req) as { CmdletInput?: { CmdletName?: unknown; Parameters?: unknown } } | undefined;
  const cmdlet = typeof body?.CmdletInput?.CmdletName === 'string' ? body.CmdletInput.CmdletName : '';
  // "exchange-mailbox:<address>" lets a test make one mailbox misbehave.
  const identity = (body?.CmdletInput?.Parameters as { Identity?: unknown } | undefined)?.Identity;
  const mailbox = typeof identity === 'string' ? identity.split(':\\')[0].trim().toLowerCase() : '';
  const tags = [
    'exchange',
    `exchange:${endpoint}`,
    ...(cmdlet ? [`exchange:${cmdlet}`] : []),
    ...(mailbox ? [`exchange-mailbox:${mailbox}`] : []),
  ];
  return {
    tags,
    run: () => {
      const claims = authorize(req, ctx.issuer, ctx.exchangeBaseUrl);
      if (isResponse(claims)) return claims;
      if (!hasAnyRole(claims, APP_ROLES)) return graphError(403, 'Forbidden', 'The application lacks the Exchange.ManageAsApp permission.');
      if (req.method !== 'POST') return graphError(405, 'MethodNotAllowed', 'The Admin API accepts POST only.');
      const t = (tenant ?? '').toLowerCase();
      if (t !== ctx.state.tenantId && t !== ctx.state.domain) return graphError(404, 'NotFound', `Tenant '${tenant}' not found.`);
      if (!validVersion(version, endpoint)) return graphError(404, 'NotFound', `No endpoint ${version}/${endpoint}.`);
      const anchor = req.headers['x-anchormailbox'];
      if (typeof anchor !== 'string' || !/^(UPN|SMTP|APP|OID):\S+/i.test(anchor)) {
        return graphError(
          400,
          'BadRequest',
          'The X-AnchorMailbox header is missing or not a routing hint (UPN:<address>, APP:SystemMailbox{...}@<domain>).',
        );
      }
      if (!body?.CmdletInput || !cmdlet)
        return graphError(400, 'BadRequest', 'The body must be {"CmdletInput":{"CmdletName":...,"Parameters":{...}}}.');
      return runCmdlet(req, endpoint, cmdlet, body.CmdletInput.Parameters ?? {}, ctx, claims.appid);
    },
  };
}

function validVersion(version: string | undefined, endpoint: string): boolean {
  if (version === 'beta') return endpoint === 'InvokeCommand';
  return version === 'v2.0' && endpoint in ENDPOINT_CMDLETS;
}

function commandNotFound(cmdlet: string): LocalResponse {
  return exchangeCmdletError(
    400,
    'System.Management.Automation.CommandNotFoundException',
    `The term '${cmdlet}' is not recognized as a name of a cmdlet, function, script file, or executable program.`,
  );
}

function runCmdlet(
  req: LocalRequest,
  endpoint: string,
  cmdlet: string,
  parameters: unknown,
  ctx: ExchangeRouteContext,
  appId: string,
): LocalResponse {
  const { state } = ctx;
  const { realism } = state;
  const definition = CMDLETS[cmdlet];
  if (!definition) return commandNotFound(cmdlet);
  // Facts 2 and 8: a cmdlet outside the app's Exchange role (or no role at all) answers 403 with NUL bytes
  // (graph2otel errors_test.go, live capture); the polite tenant says the cmdlet is unknown.
  if (!state.app.exchangeRoleAssigned || state.app.forbiddenCmdlets.has(cmdlet)) {
    return realism.forbiddenCmdlet === 'nulBody' ? nulBody(403) : commandNotFound(cmdlet);
  }
  const documented = endpoint === 'InvokeCommand' ? undefined : ENDPOINT_CMDLETS[endpoint][cmdlet];
  if (endpoint !== 'InvokeCommand' && !documented) {
    return exchangeCmdletError(
      400,
      'Microsoft.Exchange.AdminApi.CmdletNotAllowedException',
      `The cmdlet '${cmdlet}' is not available on the ${endpoint} endpoint.`,
    );
  }
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    return exchangeCmdletError(400, 'System.Management.Automation.ParameterBindingException', 'Parameters must be an object.');
  }
  const params = parameters as Record<string, unknown>;
  const unknown = Object.keys(params).find((k) => !definition.parameters.includes(k));
  if (unknown) return invalidCmdletParameters(unknown);
  // Fact 7: v2.0 endpoints take only the parameters their page documents (e.g. no Confirm).
  const undocumented =
    documented && realism.strictV2Parameters
      ? Object.keys(params).find((k) => !documented.some((d) => d.toLowerCase() === k.toLowerCase()))
      : undefined;
  if (undocumented) return invalidCmdletParameters(undocumented);
  let output;
  try {
    output = definition.run(params, state);
  } catch (err) {
    if (err instanceof CmdletFailure) return exchangeCmdletError(err.status, err.exceptionType, err.message);
    throw err;
  }
  // Every change is in the admin audit log under the caller's identity (see admin-audit.ts).
  if (isAuditedCmdlet(cmdlet)) recordAdminCmdlet(state, cmdlet, params, { kind: 'app', appId });
  if (output.value === null) return noOutput(output.warnings, ctx);
  // Pages of state.pageSize.exchange rows; the next page is the same POST to @odata.nextLink (fact 12, exchange-paging.ts).
  const head = {
    '@odata.context': `${ctx.exchangeBaseUrl}/adminapi/v2.0/$metadata#Collection(Exchange.GenericHashTable)`,
    'adminapi.warnings@odata.type': '#Collection(String)',
    '@adminapi.warnings': output.warnings,
  };
  return exchangePage(req, endpoint, output.value, head, state, ctx.exchangeBaseUrl);
}

/** Fact 1: a cmdlet without output answers 2xx with only warnings: no `value`, `value: null`, or (polite) `value: []`. */
function noOutput(warnings: string[], ctx: ExchangeRouteContext): LocalResponse {
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.exchangeBaseUrl}/adminapi/v2.0/$metadata#Collection(Exchange.GenericHashTable)`,
    'adminapi.warnings@odata.type': '#Collection(String)',
    '@adminapi.warnings': warnings,
  };
  const mode = ctx.state.realism.noOutput;
  if (mode === 'null') body.value = null;
  if (mode === 'empty') body.value = [];
  return json(200, body);
}
