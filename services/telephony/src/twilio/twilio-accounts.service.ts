import { Injectable } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { openSecret, sealSecret } from '../keys/secret-box';

@Injectable()
export class TwilioAccountsService {
  constructor(private readonly dataSource: DataSource) {}

  /** The tenant behind a Twilio account and the token its requests are signed with. */
  async credentials(accountSid: string): Promise<{ tenantId: string; authToken: string } | null> {
    const [row]: { tenant_id: string; auth_token_encrypted: string }[] = await this.dataSource.query(
      'SELECT tenant_id, auth_token_encrypted FROM twilio_accounts WHERE account_sid = $1',
      [accountSid],
    );
    return row ? { tenantId: row.tenant_id, authToken: openSecret(row.auth_token_encrypted) } : null;
  }

  async accountSid(tenantId: string): Promise<string | null> {
    const [row]: { account_sid: string }[] = await this.dataSource.query(
      'SELECT account_sid FROM twilio_accounts WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.account_sid ?? null;
  }

  /** Connects (or reconnects) the tenant's Twilio account. One account belongs to one tenant. */
  async set(tenantId: string, accountSid: string, authToken: string): Promise<string> {
    if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid))
      throw new DomainError('INVALID_ACCOUNT_SID', 'A Twilio Account SID is AC followed by 32 hex digits.', 400);
    if (!/^[0-9a-zA-Z]{16,64}$/.test(authToken))
      throw new DomainError('INVALID_AUTH_TOKEN', 'That does not look like a Twilio auth token.', 400);
    const rows: unknown[] = await this.dataSource
      .query(
        `INSERT INTO twilio_accounts (tenant_id, account_sid, auth_token_encrypted) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id) DO UPDATE SET account_sid = EXCLUDED.account_sid, auth_token_encrypted = EXCLUDED.auth_token_encrypted, updated_at = now()
       WHERE NOT EXISTS (SELECT 1 FROM twilio_accounts o WHERE o.account_sid = EXCLUDED.account_sid AND o.tenant_id <> $1)
       RETURNING tenant_id`,
        [tenantId, accountSid, sealSecret(authToken)],
      )
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === '23505') return [];
        throw error;
      });
    if (rows.length === 0)
      throw new DomainError('ACCOUNT_TAKEN', 'That Twilio account is connected to another tenant.', 409);
    return accountSid;
  }
}
