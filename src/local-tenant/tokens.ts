import { createPublicKey, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface AccessClaims {
  aud: string;
  appid: string;
  tid: string;
  roles: string[];
}

const KEY_ID = 'local-tenant-1';

/** Signs and checks the local tenant's access tokens (RS256, like Entra's). */
export class TokenIssuer {
  constructor(
    private readonly privateKeyPem: string,
    private readonly publicKeyPem: string,
    private readonly tenantId: string,
  ) {}

  get issuer(): string {
    return `https://sts.windows.net/${this.tenantId}/`;
  }

  issue(claims: AccessClaims, ttlSeconds: number): string {
    return jwt.sign({ ...claims, oid: claims.appid, idtyp: 'app', ver: '1.0', uti: randomUUID() }, this.privateKeyPem, {
      algorithm: 'RS256',
      keyid: KEY_ID,
      expiresIn: ttlSeconds,
      notBefore: 0,
      issuer: this.issuer,
    });
  }

  /** The claims, or a reason the token is not acceptable for the audience. */
  verify(token: string, audience: string): AccessClaims | { invalid: string } {
    try {
      const claims = jwt.verify(token, this.publicKeyPem, { algorithms: ['RS256'], issuer: this.issuer }) as jwt.JwtPayload & AccessClaims;
      if (claims.aud !== audience) return { invalid: `Invalid audience '${String(claims.aud)}'.` };
      return { aud: claims.aud, appid: claims.appid, tid: claims.tid, roles: Array.isArray(claims.roles) ? claims.roles : [] };
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) return { invalid: 'Lifetime validation failed, the token is expired.' };
      return { invalid: 'Invalid signature or malformed token.' };
    }
  }

  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = createPublicKey(this.publicKeyPem).export({ format: 'jwk' });
    return { keys: [{ ...jwk, kid: KEY_ID, use: 'sig', alg: 'RS256' }] };
  }
}
