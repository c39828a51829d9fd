import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SealedSecret } from '../keys/webhook-keys.repository';

const columns = 'tenant_id, registrar, username, password_encrypted, transport, enabled';

const statements = {
  // At start: every tenant's account the listener registers with.
  enabledAccounts: `SELECT ${columns} FROM sip_accounts WHERE enabled`,
  account: `SELECT ${columns} FROM sip_accounts WHERE tenant_id = $1`,
  save: `INSERT INTO sip_accounts (tenant_id, registrar, username, password_encrypted, transport) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (tenant_id) DO UPDATE SET registrar = EXCLUDED.registrar, username = EXCLUDED.username,
      password_encrypted = EXCLUDED.password_encrypted, transport = EXCLUDED.transport, enabled = true, updated_at = now()
    RETURNING ${columns}`,
  // The rekey tool (keys/rekey.ts): every tenant's sealed password.
  sealedSecretsForUpdate:
    'SELECT tenant_id::text AS id, password_encrypted AS sealed FROM sip_accounts ORDER BY tenant_id FOR UPDATE',
  resealSecrets: `UPDATE sip_accounts t SET password_encrypted = r.sealed
    FROM jsonb_to_recordset($1::jsonb) AS r(id text, sealed text)
    WHERE t.tenant_id::text = r.id`,
} satisfies Record<string, string>;

/** Every statement of sip_accounts, as sent (reviewed in sql/sip.repository.sql). */
export const sipSql: Record<string, string> = statements;

/** A tenant's SIP settings: the extension telephony registers as on its PBX. */
export interface SipAccount {
  tenantId: string;
  registrar: string;
  username: string;
  passwordSealed: string;
  transport: 'udp' | 'tcp';
  enabled: boolean;
}

interface SipAccountRow {
  tenant_id: string;
  registrar: string;
  username: string;
  password_encrypted: string;
  transport: 'udp' | 'tcp';
  enabled: boolean;
}

const accountOf = (r: SipAccountRow): SipAccount => ({
  tenantId: r.tenant_id,
  registrar: r.registrar,
  username: r.username,
  passwordSealed: r.password_encrypted,
  transport: r.transport,
  enabled: r.enabled,
});

@Injectable()
export class SipRepository {
  /** Every tenant's enabled account (the listener's start, for all tenants). */
  async enabledAccounts(m: EntityManager): Promise<SipAccount[]> {
    const rows: SipAccountRow[] = await m.query(statements.enabledAccounts);
    return rows.map(accountOf);
  }

  async account(m: EntityManager, tenantId: string): Promise<SipAccount | null> {
    const [row]: SipAccountRow[] = await m.query(statements.account, [tenantId]);
    return row ? accountOf(row) : null;
  }

  /** Stores the tenant's settings (enabled again); the stored account. */
  async save(
    m: EntityManager,
    tenantId: string,
    settings: { registrar: string; username: string; passwordSealed: string; transport: 'udp' | 'tcp' },
  ): Promise<SipAccount> {
    const [row]: SipAccountRow[] = await m.query(statements.save, [
      tenantId,
      settings.registrar,
      settings.username,
      settings.passwordSealed,
      settings.transport,
    ]);
    if (!row) throw new Error('sip account upsert returned nothing');
    return accountOf(row);
  }

  async sealedSecretsForUpdate(m: EntityManager): Promise<SealedSecret[]> {
    return m.query(statements.sealedSecretsForUpdate);
  }

  async resealSecrets(m: EntityManager, secrets: readonly SealedSecret[]): Promise<void> {
    await m.query(statements.resealSecrets, [JSON.stringify(secrets)]);
  }
}
