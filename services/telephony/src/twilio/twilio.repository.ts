import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SealedSecret } from '../keys/webhook-keys.repository';

const statements = {
  // By AccountSid alone: a request from Twilio names its account before anyone knows the tenant.
  claims: `SELECT tenant_id, auth_token_encrypted, verified_at FROM twilio_accounts WHERE account_sid = $1
    ORDER BY verified_at NULLS LAST, updated_at`,
  bind: 'UPDATE twilio_accounts SET verified_at = now() WHERE tenant_id = $1 AND account_sid = $2 AND verified_at IS NULL',
  dropOtherClaims: 'DELETE FROM twilio_accounts WHERE account_sid = $2 AND tenant_id <> $1 AND verified_at IS NULL',
  accountSid: 'SELECT account_sid FROM twilio_accounts WHERE tenant_id = $1',
  // A claim is refused when another tenant has the account bound; changing only the token keeps a binding.
  claim: `INSERT INTO twilio_accounts (tenant_id, account_sid, auth_token_encrypted)
    SELECT $1, $2, $3 WHERE NOT EXISTS (
      SELECT 1 FROM twilio_accounts o WHERE o.account_sid = $2 AND o.tenant_id <> $1 AND o.verified_at IS NOT NULL)
    ON CONFLICT (tenant_id) DO UPDATE SET account_sid = EXCLUDED.account_sid, auth_token_encrypted = EXCLUDED.auth_token_encrypted,
      verified_at = CASE WHEN twilio_accounts.account_sid = EXCLUDED.account_sid THEN twilio_accounts.verified_at END,
      updated_at = now()
    RETURNING tenant_id`,
  // The rekey tool (keys/rekey.ts): every tenant's sealed token.
  sealedSecretsForUpdate:
    'SELECT tenant_id::text AS id, auth_token_encrypted AS sealed FROM twilio_accounts ORDER BY tenant_id FOR UPDATE',
  resealSecrets: `UPDATE twilio_accounts t SET auth_token_encrypted = r.sealed
    FROM jsonb_to_recordset($1::jsonb) AS r(id text, sealed text)
    WHERE t.tenant_id::text = r.id`,
} satisfies Record<string, string>;

/** Every statement of twilio_accounts, as sent (reviewed in sql/twilio.repository.sql). */
export const twilioSql: Record<string, string> = statements;

/** A tenant's claim on a Twilio account: bound once a request signed with its token has verified. */
export interface TwilioClaim {
  tenantId: string;
  authTokenSealed: string;
  verifiedAt: Date | null;
}

/** Postgres' unique_violation: another request bound the account at the same moment (the partial unique index). */
export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

@Injectable()
export class TwilioRepository {
  /** Every tenant's claim on the account, the bound one first. */
  async claims(m: EntityManager, accountSid: string): Promise<TwilioClaim[]> {
    const rows: { tenant_id: string; auth_token_encrypted: string; verified_at: Date | null }[] = await m.query(
      statements.claims,
      [accountSid],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      authTokenSealed: r.auth_token_encrypted,
      verifiedAt: r.verified_at,
    }));
  }

  /** Binds the tenant's pending claim; false when it is no longer pending. */
  async bind(m: EntityManager, tenantId: string, accountSid: string): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, affected count] (not the rows: their length was always 2).
    const [, affected]: [unknown[], number] = await m.query(statements.bind, [tenantId, accountSid]);
    return affected > 0;
  }

  /** Drops the other tenants' pending claims on the account the tenant has just bound. */
  async dropOtherClaims(m: EntityManager, tenantId: string, accountSid: string): Promise<void> {
    await m.query(statements.dropOtherClaims, [tenantId, accountSid]);
  }

  async accountSid(m: EntityManager, tenantId: string): Promise<string | null> {
    const [row]: { account_sid: string }[] = await m.query(statements.accountSid, [tenantId]);
    return row?.account_sid ?? null;
  }

  /** Stores the tenant's claim (pending unless only the token changed); false when another tenant has the account bound. */
  async claim(m: EntityManager, tenantId: string, accountSid: string, authTokenSealed: string): Promise<boolean> {
    const rows: unknown[] = await m
      .query(statements.claim, [tenantId, accountSid, authTokenSealed])
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) return [];
        throw error;
      });
    return rows.length > 0;
  }

  async sealedSecretsForUpdate(m: EntityManager): Promise<SealedSecret[]> {
    return m.query(statements.sealedSecretsForUpdate);
  }

  async resealSecrets(m: EntityManager, secrets: readonly SealedSecret[]): Promise<void> {
    await m.query(statements.resealSecrets, [JSON.stringify(secrets)]);
  }
}
