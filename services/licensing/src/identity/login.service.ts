import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { SigningKeysService } from '../keys/signing-keys.service';
import { IdentityRepository, type User } from './identity.repository';
import { LoginThrottle } from './login-throttle.service';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password';
import { invalidRefreshToken, RefreshTokens } from './refresh-tokens.service';

export interface LoginResult {
  accessToken: string;
  expiresAt: number;
  refreshToken: string;
  user: User;
}

const invalidCredentials = () => new DomainError('INVALID_CREDENTIALS');

@Injectable()
export class LoginService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: IdentityRepository,
    private readonly keys: SigningKeysService,
    private readonly throttle: LoginThrottle,
    private readonly refreshTokens: RefreshTokens,
  ) {}

  async login(email: string, password: string, address: string): Promise<LoginResult> {
    const normalized = email.trim().toLowerCase();
    const claimed = await this.throttle.claim(normalized, address);
    const user = await this.identity.userByEmail(this.dataSource.manager, normalized);
    // Same work whether or not the account exists, so the answer's timing does not tell.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok || user.disabledAt) {
      await this.throttle.failed(claimed);
      throw invalidCredentials();
    }
    await this.throttle.succeeded(claimed);
    return this.dataSource.transaction((m) => this.session(m, user));
  }

  /** Signs in a user who has just proven themselves another way (accepted invitation). */
  async session(m: EntityManager, user: User, familyId: string = randomUUID()): Promise<LoginResult> {
    // `sid` names the refresh-token family, so that revoking the family can void its access tokens.
    const { token, expiresAt } = await this.keys.sign({
      sub: user.id,
      tid: user.tenantId,
      roles: user.roles,
      name: user.name,
      sid: familyId,
    });
    const refreshToken = await this.refreshTokens.issue(m, user, familyId);
    return { accessToken: token, expiresAt, refreshToken, user };
  }

  async refresh(refreshToken: string): Promise<LoginResult> {
    const outcome = await this.dataSource.transaction(async (m) => {
      const spent = await this.refreshTokens.spend(m, refreshToken);
      if ('reused' in spent) return spent;
      const user = await this.identity.user(m, spent.tenantId, spent.userId);
      if (!user || user.disabledAt) {
        await this.refreshTokens.revokeFamily(m, spent.familyId);
        return { ended: true as const };
      }
      return this.session(m, user, spent.familyId);
    });
    if ('reused' in outcome) {
      throw new DomainError('REFRESH_TOKEN_REUSED');
    }
    if ('ended' in outcome) throw invalidRefreshToken();
    return outcome;
  }

  /** Ends the session the refresh token belongs to. Quietly succeeds for an unknown token. */
  async logout(refreshToken: string): Promise<void> {
    await this.dataSource.transaction((m) => this.refreshTokens.revokeByToken(m, refreshToken));
  }
}
