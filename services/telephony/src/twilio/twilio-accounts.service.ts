import { Injectable } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { secretBox } from '../keys/secret-box';
import { isUniqueViolation, TwilioRepository } from './twilio.repository';

@Injectable()
export class TwilioAccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: TwilioRepository,
  ) {}

  /**
   * The tenant a request naming this AccountSid comes from, proven by its signature
   * (`verifies` checks it against one auth token). A bound account answers for its tenant alone.
   * Pending claims (tenants that named the account, none proven yet) are tried in turn; the
   * first whose token verifies the request is bound, and the other pending claims on the
   * account are dropped: they could not prove it.
   */
  async authenticate(
    accountSid: string,
    verifies: (authToken: string) => boolean,
  ): Promise<{ tenantId: string } | 'UNKNOWN_ACCOUNT' | 'INVALID_SIGNATURE'> {
    const rows = await this.accounts.claims(this.dataSource.manager, accountSid);
    if (rows.length === 0) return 'UNKNOWN_ACCOUNT';
    const bound = rows.find((r) => r.verifiedAt !== null);
    if (bound)
      return verifies(secretBox.open(bound.authTokenSealed)) ? { tenantId: bound.tenantId } : 'INVALID_SIGNATURE';
    const proven = rows.find((r) => verifies(secretBox.open(r.authTokenSealed)));
    if (!proven) return 'INVALID_SIGNATURE';
    const won = await this.dataSource
      .transaction(async (m) => {
        if (!(await this.accounts.bind(m, proven.tenantId, accountSid))) return false;
        await this.accounts.dropOtherClaims(m, proven.tenantId, accountSid);
        return true;
      })
      // Another request bound the account at the same moment (the partial unique index).
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) return false;
        throw error;
      });
    // Lost a race or the claim changed meanwhile: judge the request against what is stored now.
    return won ? { tenantId: proven.tenantId } : this.authenticate(accountSid, verifies);
  }

  accountSid(tenantId: string): Promise<string | null> {
    return this.accounts.accountSid(this.dataSource.manager, tenantId);
  }

  /**
   * Connects (or reconnects) the tenant's Twilio account. The claim is pending until a request
   * signed with this token verifies (authenticate); a pending claim blocks nobody, an account
   * bound to another tenant is ACCOUNT_TAKEN. Changing only the token keeps a binding.
   */
  async set(tenantId: string, accountSid: string, authToken: string): Promise<string> {
    if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) throw new DomainError('INVALID_ACCOUNT_SID');
    if (!/^[0-9a-zA-Z]{16,64}$/.test(authToken)) throw new DomainError('INVALID_AUTH_TOKEN');
    const claimed = await this.accounts.claim(this.dataSource.manager, tenantId, accountSid, secretBox.seal(authToken));
    if (!claimed) throw new DomainError('ACCOUNT_TAKEN');
    return accountSid;
  }
}
