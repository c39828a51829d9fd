import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '@thankstar/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { openSecret, sealSecret } from './secret-box';

export interface WebhookKeyView {
  id: string;
  keyId: string;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  secrets: { prefix: string; createdAt: Date; expiresAt: Date | null }[];
}

const SECRET_PREFIX_LENGTH = 12;
const newKeyId = () => `whk_${randomBytes(9).toString('base64url')}`;
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** Stores a key's secret sealed; used by key creation, rotation and the demo seed. */
export async function addKeySecret(manager: EntityManager, keyRowId: string, secret: string): Promise<void> {
  await manager.query('INSERT INTO webhook_key_secrets (key_id, secret_encrypted, secret_prefix) VALUES ($1, $2, $3)', [
    keyRowId,
    sealSecret(secret),
    secret.slice(0, SECRET_PREFIX_LENGTH),
  ]);
}

@Injectable()
export class WebhookKeysService {
  constructor(private readonly dataSource: DataSource) {}

  /** The tenant and the active secrets behind a key id, or null when the key is unknown or revoked. */
  async activeSecrets(keyId: string): Promise<{ tenantId: string; secrets: string[] } | null> {
    const rows: { tenant_id: string; secret_encrypted: string }[] = await this.dataSource.query(
      `SELECT k.tenant_id, s.secret_encrypted FROM webhook_keys k
       JOIN webhook_key_secrets s ON s.key_id = k.id
       WHERE k.key_id = $1 AND k.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > now())`,
      [keyId],
    );
    const first = rows[0];
    if (!first) return null;
    return { tenantId: first.tenant_id, secrets: rows.map((r) => openSecret(r.secret_encrypted)) };
  }

  async list(tenantId: string): Promise<WebhookKeyView[]> {
    const rows: {
      id: string;
      key_id: string;
      label: string | null;
      created_at: Date;
      revoked_at: Date | null;
      secrets: { prefix: string; createdAt: string; expiresAt: string | null }[];
    }[] = await this.dataSource.query(
      `SELECT k.id, k.key_id, k.label, k.created_at, k.revoked_at,
              coalesce(json_agg(json_build_object('prefix', s.secret_prefix, 'createdAt', s.created_at, 'expiresAt', s.expires_at)
                ORDER BY s.created_at DESC) FILTER (WHERE s.id IS NOT NULL AND (s.expires_at IS NULL OR s.expires_at > now())), '[]') AS secrets
       FROM webhook_keys k LEFT JOIN webhook_key_secrets s ON s.key_id = k.id
       WHERE k.tenant_id = $1 GROUP BY k.id ORDER BY k.created_at`,
      [tenantId],
    );
    return rows.map((r) => ({
      id: r.id,
      keyId: r.key_id,
      label: r.label,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
      secrets: r.revoked_at
        ? []
        : r.secrets.map((s) => ({
            prefix: s.prefix,
            createdAt: new Date(s.createdAt),
            expiresAt: s.expiresAt ? new Date(s.expiresAt) : null,
          })),
    }));
  }

  /** Creates a key; the secret is returned this once and never again. */
  async create(tenantId: string, label: string | null): Promise<{ key: WebhookKeyView; secret: string }> {
    const secret = newSecret();
    const keyId = await this.dataSource.transaction(async (m) => {
      const [row]: { id: string; key_id: string }[] = await m.query(
        'INSERT INTO webhook_keys (tenant_id, key_id, label) VALUES ($1, $2, $3) RETURNING id, key_id',
        [tenantId, newKeyId(), label],
      );
      if (!row) throw new Error('key insert returned nothing');
      await addKeySecret(m, row.id, secret);
      return row.key_id;
    });
    return { key: await this.view(tenantId, keyId), secret };
  }

  /**
   * Adds a new secret to a key. The current secret stays valid for `graceHours` so senders can
   * switch over; older secrets stop at once, so at most two are ever active.
   */
  async rotate(tenantId: string, keyId: string, graceHours: number): Promise<{ key: WebhookKeyView; secret: string }> {
    if (!Number.isInteger(graceHours) || graceHours < 0 || graceHours > 24 * 30) {
      throw new DomainError('INVALID_GRACE_PERIOD', 'The grace period is a whole number of hours from 0 to 720.', 400);
    }
    const secret = newSecret();
    await this.dataSource.transaction(async (m) => {
      const [key]: { id: string }[] = await m.query(
        'SELECT id FROM webhook_keys WHERE tenant_id = $1 AND key_id = $2 AND revoked_at IS NULL FOR UPDATE',
        [tenantId, keyId],
      );
      if (!key) throw notFound('The webhook key');
      await m.query(
        `UPDATE webhook_key_secrets SET expires_at = now() WHERE key_id = $1 AND expires_at IS NOT NULL AND expires_at > now()`,
        [key.id],
      );
      await m.query(
        `UPDATE webhook_key_secrets SET expires_at = now() + make_interval(hours => $2) WHERE key_id = $1 AND expires_at IS NULL`,
        [key.id, graceHours],
      );
      await addKeySecret(m, key.id, secret);
    });
    return { key: await this.view(tenantId, keyId), secret };
  }

  async revoke(tenantId: string, keyId: string): Promise<WebhookKeyView> {
    const result: [unknown[], number] = await this.dataSource.query(
      'UPDATE webhook_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND key_id = $2',
      [tenantId, keyId],
    );
    if (result[1] === 0) throw notFound('The webhook key');
    return this.view(tenantId, keyId);
  }

  private async view(tenantId: string, keyId: string): Promise<WebhookKeyView> {
    const key = (await this.list(tenantId)).find((k) => k.keyId === keyId);
    if (!key) throw notFound('The webhook key');
    return key;
  }
}
