import { Injectable } from '@nestjs/common';
import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';

/** The channel every instance LISTENs on; the payload is the key id changed (empty: all keys). */
export const KEY_CHANNEL = 'telephony_webhook_keys';

const statements = {
  // By key id alone: the webhook names its key before anyone knows the tenant.
  activeSecrets: `SELECT k.tenant_id, s.secret_encrypted, s.expires_at FROM webhook_keys k
    JOIN webhook_key_secrets s ON s.key_id = k.id
    WHERE k.key_id = $1 AND k.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > now())`,
  list: `SELECT k.id, k.key_id, k.label, k.created_at, k.revoked_at,
      coalesce(json_agg(json_build_object('prefix', s.secret_prefix, 'createdAt', s.created_at, 'expiresAt', s.expires_at)
        ORDER BY s.created_at DESC) FILTER (WHERE s.id IS NOT NULL AND (s.expires_at IS NULL OR s.expires_at > now())), '[]') AS secrets
    FROM webhook_keys k LEFT JOIN webhook_key_secrets s ON s.key_id = k.id
    WHERE k.tenant_id = $1 GROUP BY k.id ORDER BY k.created_at`,
  insertKey: `INSERT INTO webhook_keys (tenant_id, key_id, label) VALUES ($1, $2, $3)
    ON CONFLICT (key_id) DO NOTHING RETURNING id`,
  addSecret: 'INSERT INTO webhook_key_secrets (key_id, secret_encrypted, secret_prefix) VALUES ($1, $2, $3)',
  lockActiveKey: 'SELECT id FROM webhook_keys WHERE tenant_id = $1 AND key_id = $2 AND revoked_at IS NULL FOR UPDATE',
  // A rotation: secrets still in an earlier grace period stop now; the current one gets its grace period.
  endGracePeriods: `UPDATE webhook_key_secrets SET expires_at = now()
    WHERE key_id = $1 AND expires_at IS NOT NULL AND expires_at > now()`,
  startGracePeriod: `UPDATE webhook_key_secrets SET expires_at = now() + make_interval(hours => $2)
    WHERE key_id = $1 AND expires_at IS NULL`,
  // The notification goes out when the UPDATE commits: every instance forgets the key then.
  revoke: `WITH revoked AS (
      UPDATE webhook_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND key_id = $2 RETURNING key_id
    ) SELECT pg_notify('${KEY_CHANNEL}', key_id) FROM revoked`,
  notify: `SELECT pg_notify('${KEY_CHANNEL}', $1)`,
  listen: `LISTEN ${KEY_CHANNEL}`,
  // The rekey tool (keys/rekey.ts): every sealed secret of every tenant.
  sealedSecretsForUpdate:
    'SELECT id::text AS id, secret_encrypted AS sealed FROM webhook_key_secrets ORDER BY id FOR UPDATE',
  resealSecrets: `UPDATE webhook_key_secrets t SET secret_encrypted = r.sealed
    FROM jsonb_to_recordset($1::jsonb) AS r(id text, sealed text)
    WHERE t.id::text = r.id`,
} satisfies Record<string, string>;

/** Every statement of webhook_keys and webhook_key_secrets, as sent (reviewed in sql/webhook-keys.repository.sql). */
export const webhookKeysSql: Record<string, string> = statements;

export interface WebhookKeyRecord {
  /** webhook_keys.id */
  id: string;
  keyId: string;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  /** The secrets not yet expired, newest first. */
  secrets: { prefix: string; createdAt: Date; expiresAt: Date | null }[];
}

/** One sealed secret, for the rekey tool. */
export interface SealedSecret {
  id: string;
  sealed: string;
}

@Injectable()
export class WebhookKeysRepository {
  /** The tenant and the sealed secrets not yet expired of an active key; none when unknown or revoked. */
  async activeSecrets(
    m: EntityManager,
    keyId: string,
  ): Promise<{ tenantId: string; secretSealed: string; expiresAt: Date | null }[]> {
    const rows: { tenant_id: string; secret_encrypted: string; expires_at: Date | null }[] = await m.query(
      statements.activeSecrets,
      [keyId],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, secretSealed: r.secret_encrypted, expiresAt: r.expires_at }));
  }

  async list(m: EntityManager, tenantId: string): Promise<WebhookKeyRecord[]> {
    const rows: {
      id: string;
      key_id: string;
      label: string | null;
      created_at: Date;
      revoked_at: Date | null;
      secrets: { prefix: string; createdAt: string; expiresAt: string | null }[];
    }[] = await m.query(statements.list, [tenantId]);
    return rows.map((r) => ({
      id: r.id,
      keyId: r.key_id,
      label: r.label,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
      secrets: r.secrets.map((s) => ({
        prefix: s.prefix,
        createdAt: new Date(s.createdAt),
        expiresAt: s.expiresAt ? new Date(s.expiresAt) : null,
      })),
    }));
  }

  /** Inserts a key; its row id, or null when the key id exists already. */
  async insertKey(m: EntityManager, tenantId: string, keyId: string, label: string | null): Promise<string | null> {
    const [row]: { id: string }[] = await m.query(statements.insertKey, [tenantId, keyId, label]);
    return row?.id ?? null;
  }

  /** Adds a sealed secret to a key (by its row id, which belongs to one tenant). */
  async addSecret(m: EntityManager, keyRowId: string, secret: { sealed: string; prefix: string }): Promise<void> {
    await m.query(statements.addSecret, [keyRowId, secret.sealed, secret.prefix]);
  }

  /** Locks the tenant's active key for a rotation; its row id, or null when there is none. */
  async lockActiveKey(m: EntityManager, tenantId: string, keyId: string): Promise<string | null> {
    const [row]: { id: string }[] = await m.query(statements.lockActiveKey, [tenantId, keyId]);
    return row?.id ?? null;
  }

  /** Ends earlier grace periods now and gives the current secret `graceHours` more. */
  async startGracePeriod(m: EntityManager, keyRowId: string, graceHours: number): Promise<void> {
    await m.query(statements.endGracePeriods, [keyRowId]);
    await m.query(statements.startGracePeriod, [keyRowId, graceHours]);
  }

  /** Revokes the tenant's key (again is harmless) and notifies every instance; false when there is no such key. */
  async revoke(m: EntityManager, tenantId: string, keyId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(statements.revoke, [tenantId, keyId]);
    return rows.length > 0;
  }

  /** Tells every instance (when the transaction commits) that this key changed. */
  async notify(m: EntityManager, keyId: string): Promise<void> {
    await m.query(statements.notify, [keyId]);
  }

  /** Subscribes a dedicated connection to key changes (its 'notification' events). */
  async listen(client: Client): Promise<void> {
    await client.query(statements.listen);
  }

  async sealedSecretsForUpdate(m: EntityManager): Promise<SealedSecret[]> {
    return m.query(statements.sealedSecretsForUpdate);
  }

  async resealSecrets(m: EntityManager, secrets: readonly SealedSecret[]): Promise<void> {
    await m.query(statements.resealSecrets, [JSON.stringify(secrets)]);
  }
}
