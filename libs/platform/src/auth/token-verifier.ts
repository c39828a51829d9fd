import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { platformConfig } from '../config/platform-config';
import { DomainError, unauthenticated } from '../errors/domain-error';
import { type Principal, type Role, roles } from './principal';

export const TOKEN_ISSUER = 'thankstar-licensing';
export const TOKEN_AUDIENCE = 'thankstar';

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export function jwksUrlFromEnv(): string {
  return platformConfig().JWKS_URL;
}

export class JwtVerifier implements TokenVerifier {
  constructor(private readonly keys: JWTVerifyGetKey) {}

  static remote(jwksUrl: string = jwksUrlFromEnv()): JwtVerifier {
    return new JwtVerifier(createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 5_000, cacheMaxAge: 600_000 }));
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: ['ES256'],
      });
      const tokenRoles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => roles.includes(r)) : [];
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || typeof payload.exp !== 'number') {
        throw new Error('missing claims');
      }
      return {
        userId: payload.sub,
        tenantId: payload.tid,
        roles: tokenRoles,
        ...(typeof payload.name === 'string' ? { name: payload.name } : {}),
        expiresAt: payload.exp,
        ...(typeof payload.iat === 'number' ? { issuedAt: payload.iat } : {}),
        ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}),
      };
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_JWT_EXPIRED') {
        throw new DomainError('TOKEN_EXPIRED');
      }
      throw unauthenticated({ ja: 'アクセストークンが正しくありません。', en: 'The access token is invalid.' });
    }
  }
}
