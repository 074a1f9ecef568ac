import { bearerToken, graphError, type LocalRequest, type LocalResponse } from './http';
import type { AccessClaims, TokenIssuer } from './tokens';

/** Checks the bearer token for the audience; answers 401 the way Graph does when it is not acceptable. */
export function authorize(req: LocalRequest, issuer: TokenIssuer, audience: string): AccessClaims | LocalResponse {
  const token = bearerToken(req.headers);
  if (!token) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', { 'www-authenticate': 'Bearer' });
  const claims = issuer.verify(token, audience);
  if ('invalid' in claims) {
    return graphError(401, 'InvalidAuthenticationToken', `Access token validation failure. ${claims.invalid}`, {
      'www-authenticate': 'Bearer',
    });
  }
  return claims;
}

export function isResponse(value: AccessClaims | LocalResponse): value is LocalResponse {
  return 'status' in value;
}

export function hasAnyRole(claims: AccessClaims, roles: readonly string[]): boolean {
  return roles.some((r) => claims.roles.includes(r));
}
