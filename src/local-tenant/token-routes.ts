import { X509Certificate, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { json, type LocalRequest, type LocalResponse, type Route } from './http';
import type { TenantState } from './state';
import type { TokenIssuer } from './tokens';

export interface TokenRouteContext {
  state: TenantState;
  issuer: TokenIssuer;
  /** https://127.0.0.1:port */
  origin: string;
  /** Resource URI (token audience) -> the app roles it grants. */
  resources: Record<string, () => Set<string>>;
}

const TOKEN_LIFETIME_SECONDS = 3599;

/** Entra's error body: error, AADSTS description, error_codes, trace and correlation IDs. */
function aadError(status: number, error: string, code: number, text: string): LocalResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z';
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

export function matchIdentity(req: LocalRequest, ctx: TokenRouteContext): Route | undefined {
  const answer = (tags: string[], run: () => LocalResponse): Route => ({ tags, run });
  const [tenant, ...rest] = req.segments;
  const path = rest.join('/');
  const authority = `${ctx.origin}/${ctx.state.tenantId}`;
  if (req.method === 'GET' && tenant === 'common' && path === 'discovery/instance') {
    const host = new URL(ctx.origin).host;
    return answer(['identity'], () =>
      json(200, {
        tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      }),
    );
  }
  if (!tenant) return undefined;
  if (req.method === 'GET' && path === 'v2.0/.well-known/openid-configuration') {
    if (!knownTenant(tenant, ctx))
      return answer(['identity'], () => aadError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`));
    return answer(['identity'], () =>
      json(200, {
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        jwks_uri: `${authority}/discovery/v2.0/keys`,
        issuer: `${authority}/v2.0`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        tenant_region_scope: 'EU',
      }),
    );
  }
  if (req.method === 'GET' && path === 'discovery/v2.0/keys') return answer(['identity'], () => json(200, ctx.issuer.jwks()));
  if (path === 'oauth2/v2.0/token') {
    if (req.method !== 'POST')
      return answer(['token'], () => aadError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.'));
    return answer(['token'], () => issueToken(req, tenant, ctx));
  }
  return undefined;
}

function knownTenant(tenant: string, ctx: TokenRouteContext): boolean {
  const t = tenant.toLowerCase();
  return t === ctx.state.tenantId || t === ctx.state.domain;
}

function issueToken(req: LocalRequest, tenant: string, ctx: TokenRouteContext): LocalResponse {
  const { state } = ctx;
  if (!knownTenant(tenant, ctx))
    return aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`);
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/x-www-form-urlencoded')) {
    return aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
  }
  const form = new URLSearchParams(req.body);
  if (form.get('grant_type') !== 'client_credentials') {
    return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'.`);
  }
  const clientId = (form.get('client_id') ?? '').toLowerCase();
  if (clientId !== state.app.clientId) {
    return aadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${state.domain}'.`,
    );
  }
  const credentialProblem = checkCredential(form, ctx);
  if (credentialProblem) return credentialProblem;

  const scope = (form.get('scope') ?? '').trim();
  const match = scope.match(/^(\S+)\/\.default$/);
  if (!match) {
    return aadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resource = match[1];
  const roles = ctx.resources[resource];
  if (!roles) {
    return aadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${state.domain}.`,
    );
  }
  const accessToken = ctx.issuer.issue(
    { aud: resource, appid: state.app.clientId, tid: state.tenantId, roles: [...roles()] },
    TOKEN_LIFETIME_SECONDS,
  );
  return json(200, {
    token_type: 'Bearer',
    expires_in: TOKEN_LIFETIME_SECONDS,
    ext_expires_in: TOKEN_LIFETIME_SECONDS,
    access_token: accessToken,
  });
}

function checkCredential(form: URLSearchParams, ctx: TokenRouteContext): LocalResponse | undefined {
  const { state } = ctx;
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    if (secret !== state.app.clientSecret) {
      return aadError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${state.app.clientId}'.`,
      );
    }
    return undefined;
  }
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return aadError(400, 'invalid_request', 50027, 'Invalid client_assertion_type.');
    }
    const decoded = jwt.decode(assertion, { complete: true });
    const header = (decoded?.header ?? {}) as unknown as Record<string, unknown>;
    const cert = state.app.certificates.find((pem) => {
      const x = new X509Certificate(pem);
      const sha256 = Buffer.from(x.fingerprint256.replace(/:/g, ''), 'hex').toString('base64url');
      const sha1 = Buffer.from(x.fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
      return header['x5t#S256'] === sha256 || header.x5t === sha1;
    });
    if (!cert) {
      return aadError(
        401,
        'invalid_client',
        700027,
        `The certificate with identifier used to sign the client assertion is not registered on application '${state.app.clientId}'.`,
      );
    }
    try {
      jwt.verify(assertion, cert, {
        algorithms: ['RS256', 'PS256'],
        audience: `${ctx.origin}/${state.tenantId}/oauth2/v2.0/token`,
        issuer: state.app.clientId,
        subject: state.app.clientId,
        // Entra tolerates clock skew between client and server; MSAL stamps nbf with the client's "now" in whole seconds.
        clockTolerance: 300,
      });
    } catch (err) {
      return aadError(401, 'invalid_client', 700027, `Client assertion failed signature validation (${(err as Error).message}).`);
    }
    return undefined;
  }
  return aadError(
    401,
    'invalid_client',
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  );
}
