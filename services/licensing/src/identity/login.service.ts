import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError } from '@thankstar/platform';
import type { Repository } from 'typeorm';
import { SigningKeysService } from '../keys/signing-keys.service';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password';
import { UserEntity } from './user.entity';

const invalidCredentials = () =>
  new DomainError('INVALID_CREDENTIALS', 'The email address or password is not correct.', 401);

@Injectable()
export class LoginService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly keys: SigningKeysService,
  ) {}

  async login(email: string, password: string): Promise<{ accessToken: string; expiresAt: number; user: UserEntity }> {
    const user = await this.users.findOne({ where: { email: email.trim().toLowerCase() } });
    // Same work whether or not the account exists, so the answer's timing does not tell.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok || user.disabledAt) throw invalidCredentials();
    const { token, expiresAt } = await this.keys.sign({
      sub: user.id,
      tid: user.tenantId,
      roles: user.roles,
      name: user.name,
    });
    return { accessToken: token, expiresAt, user };
  }
}
