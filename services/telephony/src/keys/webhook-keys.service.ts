import { randomBytes } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError, databaseUrl, notFound } from '@thankstar/platform';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { secretBox } from './secret-box';

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
    secretBox.seal(secret),
    secret.slice(0, SECRET_PREFIX_LENGTH),
  ]);
}

/**
 * How long a key read from the database may be used without reading it again
 * (TELEPHONY_KEY_CACHE_MS, default 5 s). Rotations and
 * revocations reach every instance at once by NOTIFY; this bounds the damage of a lost
 * notification (and is the longest a revoked key can still be accepted anywhere).
 */
const keyCacheMs = () => Number(process.env.TELEPHONY_KEY_CACHE_MS ?? 5_000);
const MAX_CACHED_KEYS = 10_000;
/**
 * How long a key id found unknown is answered "unknown" without asking the database again
 * (TELEPHONY_UNKNOWN_KEY_CACHE_MS, default 30 s), so a flood of requests naming a key that does
 * not exist costs a map lookup each, not a query. Creating a key NOTIFYs its id, which clears
 * the entry everywhere; at most MAX_UNKNOWN_KEYS ids are remembered (oldest forgotten first).
 */
const unknownKeyCacheMs = () => Number(process.env.TELEPHONY_UNKNOWN_KEY_CACHE_MS ?? 30_000);
const MAX_UNKNOWN_KEYS = 10_000;
/** Key ids we issue (`whk_…`) and the demo's; anything else is unknown without a lookup. */
const plausibleKeyId = /^[A-Za-z0-9_-]{1,64}$/;
const KEY_CHANNEL = 'telephony_webhook_keys';

interface CachedKey {
  tenantId: string;
  loadedAtMs: number;
  secrets: { secret: string; expiresAtMs: number | null }[];
}

@Injectable()
export class WebhookKeysService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly cache = new Map<string, CachedKey>();
  private readonly loading = new Map<string, Promise<CachedKey | null>>();
  /** Bumped by every invalidation, so a read that raced one is not cached. */
  private generation = 0;
  private listener: Client | undefined;
  private listening = false;
  private reconnect: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly cacheMs = keyCacheMs();
  /** Key id → until when it is known not to exist (see unknownKeyCacheMs). */
  private readonly unknown = new Map<string, number>();
  private readonly unknownMs = unknownKeyCacheMs();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The tenant and the active secrets behind a key id, or null when the key is unknown or
   * revoked. Served from an in-memory cache of decrypted secrets (see keyCacheMs): a
   * rotation or revocation clears the entry in every instance at once (NOTIFY), and an entry
   * is never used longer than keyCacheMs after it was read, even if a notification is lost.
   * Each secret's own expiry (the end of a rotation's grace period) is checked on every use.
   */
  async activeSecrets(keyId: string): Promise<{ tenantId: string; secrets: string[] } | null> {
    if (!plausibleKeyId.test(keyId)) return null;
    const now = Date.now();
    const unknownUntil = this.unknown.get(keyId);
    if (unknownUntil !== undefined) {
      if (unknownUntil > now) return null;
      this.unknown.delete(keyId);
    }
    const cached = this.cache.get(keyId);
    const entry = cached && now - cached.loadedAtMs < this.cacheMs ? cached : await this.load(keyId);
    if (!entry) return null;
    const secrets = entry.secrets.filter((s) => s.expiresAtMs === null || s.expiresAtMs > now).map((s) => s.secret);
    return secrets.length ? { tenantId: entry.tenantId, secrets } : null;
  }

  /** Forgets what this instance knows about a key (or all keys); the next request reads it again. */
  invalidate(keyId?: string): void {
    this.generation++;
    if (keyId === undefined) {
      this.cache.clear();
      this.loading.clear();
      this.unknown.clear();
    } else {
      this.cache.delete(keyId);
      this.loading.delete(keyId);
      this.unknown.delete(keyId);
    }
  }

  /** Reads a key from the database, once for all requests that missed the cache at the same time. */
  private load(keyId: string): Promise<CachedKey | null> {
    const pending = this.loading.get(keyId);
    if (pending) return pending;
    const generation = this.generation;
    const loading = this.readKey(keyId).finally(() => {
      if (this.loading.get(keyId) === loading) this.loading.delete(keyId);
    });
    this.loading.set(keyId, loading);
    return loading.then((entry) => {
      // A rotation or revocation while reading: the result may be stale, so it is not kept;
      // nor is anything while this instance cannot hear about changes.
      if (generation === this.generation && this.listening) {
        if (entry) {
          if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
          this.cache.set(keyId, entry);
        } else {
          // Maps iterate in insertion order: the first key is the oldest entry.
          if (this.unknown.size >= MAX_UNKNOWN_KEYS) this.unknown.delete(this.unknown.keys().next().value as string);
          this.unknown.set(keyId, Date.now() + this.unknownMs);
        }
      }
      return entry;
    });
  }

  private async readKey(keyId: string): Promise<CachedKey | null> {
    const loadedAtMs = Date.now();
    const rows: { tenant_id: string; secret_encrypted: string; expires_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT k.tenant_id, s.secret_encrypted, s.expires_at FROM webhook_keys k
       JOIN webhook_key_secrets s ON s.key_id = k.id
       WHERE k.key_id = $1 AND k.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > now())`,
        [keyId],
      );
    const first = rows[0];
    if (!first) return null;
    return {
      tenantId: first.tenant_id,
      loadedAtMs,
      secrets: rows.map((r) => ({
        secret: secretBox.open(r.secret_encrypted),
        expiresAtMs: r.expires_at ? new Date(r.expires_at).getTime() : null,
      })),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
  }

  /**
   * LISTENs for key changes made by any instance. While the connection is down nothing is
   * cached at all, so a revocation is never missed; it reconnects every second.
   */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const listener = new Client({ connectionString: databaseUrl('telephony') });
    const lost = () => {
      if (this.listener !== listener) return;
      this.listener = undefined;
      this.listening = false;
      this.invalidate();
      listener.end().catch(() => undefined);
      if (!this.stopped) this.reconnect = setTimeout(() => void this.listen(), 1_000);
    };
    listener.on('notification', (n) => this.invalidate(n.payload || undefined));
    listener.on('error', lost);
    listener.on('end', lost);
    this.listener = listener;
    try {
      await listener.connect();
      await listener.query(`LISTEN ${KEY_CHANNEL}`);
      this.invalidate();
      this.listening = true;
    } catch {
      lost();
    }
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
      // An instance that was asked for this id before it existed has it as unknown: forget that.
      await m.query(`SELECT pg_notify('${KEY_CHANNEL}', $1)`, [row.key_id]);
      return row.key_id;
    });
    this.invalidate(keyId);
    return { key: await this.view(tenantId, keyId), secret };
  }

  /**
   * Adds a new secret to a key. The current secret stays valid for `graceHours` so senders can
   * switch over; older secrets stop at once, so at most two are ever active.
   */
  async rotate(tenantId: string, keyId: string, graceHours: number): Promise<{ key: WebhookKeyView; secret: string }> {
    if (!Number.isInteger(graceHours) || graceHours < 0 || graceHours > 24 * 30) {
      throw new DomainError('INVALID_GRACE_PERIOD');
    }
    const secret = newSecret();
    await this.dataSource.transaction(async (m) => {
      const [key]: { id: string }[] = await m.query(
        'SELECT id FROM webhook_keys WHERE tenant_id = $1 AND key_id = $2 AND revoked_at IS NULL FOR UPDATE',
        [tenantId, keyId],
      );
      if (!key) throw notFound('webhookKey');
      await m.query(
        `UPDATE webhook_key_secrets SET expires_at = now() WHERE key_id = $1 AND expires_at IS NOT NULL AND expires_at > now()`,
        [key.id],
      );
      await m.query(
        `UPDATE webhook_key_secrets SET expires_at = now() + make_interval(hours => $2) WHERE key_id = $1 AND expires_at IS NULL`,
        [key.id, graceHours],
      );
      await addKeySecret(m, key.id, secret);
      await m.query(`SELECT pg_notify('${KEY_CHANNEL}', $1)`, [keyId]);
    });
    this.invalidate(keyId);
    return { key: await this.view(tenantId, keyId), secret };
  }

  async revoke(tenantId: string, keyId: string): Promise<WebhookKeyView> {
    // The notification goes out when the UPDATE commits: every instance forgets the key then.
    const rows: unknown[] = await this.dataSource.query(
      `WITH revoked AS (
         UPDATE webhook_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND key_id = $2 RETURNING key_id
       ) SELECT pg_notify('${KEY_CHANNEL}', key_id) FROM revoked`,
      [tenantId, keyId],
    );
    this.invalidate(keyId);
    if (rows.length === 0) throw notFound('webhookKey');
    return this.view(tenantId, keyId);
  }

  private async view(tenantId: string, keyId: string): Promise<WebhookKeyView> {
    const key = (await this.list(tenantId)).find((k) => k.keyId === keyId);
    if (!key) throw notFound('webhookKey');
    return key;
  }
}
