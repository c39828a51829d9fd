import { Injectable } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { secretBox } from '../keys/secret-box';

@Injectable()
export class TwilioAccountsService {
  constructor(private readonly dataSource: DataSource) {}

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
    const rows: { tenant_id: string; auth_token_encrypted: string; verified_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT tenant_id, auth_token_encrypted, verified_at FROM twilio_accounts WHERE account_sid = $1
         ORDER BY verified_at NULLS LAST, updated_at`,
        [accountSid],
      );
    if (rows.length === 0) return 'UNKNOWN_ACCOUNT';
    const bound = rows.find((r) => r.verified_at !== null);
    if (bound)
      return verifies(secretBox.open(bound.auth_token_encrypted)) ? { tenantId: bound.tenant_id } : 'INVALID_SIGNATURE';
    const proven = rows.find((r) => verifies(secretBox.open(r.auth_token_encrypted)));
    if (!proven) return 'INVALID_SIGNATURE';
    const won = await this.dataSource
      .transaction(async (m) => {
        const updated: unknown[] = await m.query(
          `UPDATE twilio_accounts SET verified_at = now() WHERE tenant_id = $1 AND account_sid = $2 AND verified_at IS NULL
           RETURNING tenant_id`,
          [proven.tenant_id, accountSid],
        );
        if (updated.length === 0) return false;
        await m.query(
          'DELETE FROM twilio_accounts WHERE account_sid = $1 AND tenant_id <> $2 AND verified_at IS NULL',
          [accountSid, proven.tenant_id],
        );
        return true;
      })
      // Another request bound the account at the same moment (the partial unique index).
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === '23505') return false;
        throw error;
      });
    // Lost a race or the claim changed meanwhile: judge the request against what is stored now.
    return won ? { tenantId: proven.tenant_id } : this.authenticate(accountSid, verifies);
  }

  async accountSid(tenantId: string): Promise<string | null> {
    const [row]: { account_sid: string }[] = await this.dataSource.query(
      'SELECT account_sid FROM twilio_accounts WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.account_sid ?? null;
  }

  /**
   * Connects (or reconnects) the tenant's Twilio account. The claim is pending until a request
   * signed with this token verifies (authenticate); a pending claim blocks nobody, an account
   * bound to another tenant is ACCOUNT_TAKEN. Changing only the token keeps a binding.
   */
  async set(tenantId: string, accountSid: string, authToken: string): Promise<string> {
    if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) throw new DomainError('INVALID_ACCOUNT_SID');
    if (!/^[0-9a-zA-Z]{16,64}$/.test(authToken)) throw new DomainError('INVALID_AUTH_TOKEN');
    const rows: unknown[] = await this.dataSource
      .query(
        `INSERT INTO twilio_accounts (tenant_id, account_sid, auth_token_encrypted)
       SELECT $1, $2, $3 WHERE NOT EXISTS (
         SELECT 1 FROM twilio_accounts o WHERE o.account_sid = $2 AND o.tenant_id <> $1 AND o.verified_at IS NOT NULL)
       ON CONFLICT (tenant_id) DO UPDATE SET account_sid = EXCLUDED.account_sid, auth_token_encrypted = EXCLUDED.auth_token_encrypted,
         verified_at = CASE WHEN twilio_accounts.account_sid = EXCLUDED.account_sid THEN twilio_accounts.verified_at END,
         updated_at = now()
       RETURNING tenant_id`,
        [tenantId, accountSid, secretBox.seal(authToken)],
      )
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === '23505') return [];
        throw error;
      });
    if (rows.length === 0) throw new DomainError('ACCOUNT_TAKEN');
    return accountSid;
  }
}
