import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError, databaseUrl, notFound } from '@thankstar/platform';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { CONFIG, type TelephonyConfig } from '../config';
import { secretBox } from './secret-box';
import { WebhookKeysRepository } from './webhook-keys.repository';

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
export async function addKeySecret(
  manager: EntityManager,
  keyRowId: string,
  secret: string,
  keys: WebhookKeysRepository = new WebhookKeysRepository(),
): Promise<void> {
  await keys.addSecret(manager, keyRowId, {
    sealed: secretBox.seal(secret),
    prefix: secret.slice(0, SECRET_PREFIX_LENGTH),
  });
}

/*
 * How long a key read from the database may be used without reading it again
 * (TELEPHONY_KEY_CACHE_MS, default 5 s). Rotations and
 * revocations reach every instance at once by NOTIFY; this bounds the damage of a lost
 * notification (and is the longest a revoked key can still be accepted anywhere).
 */
const MAX_CACHED_KEYS = 10_000;
/*
 * How long a key id found unknown is answered "unknown" without asking the database again
 * (TELEPHONY_UNKNOWN_KEY_CACHE_MS, default 30 s), so a flood of requests naming a key that does
 * not exist costs a map lookup each, not a query. Creating a key NOTIFYs its id, which clears
 * the entry everywhere; at most MAX_UNKNOWN_KEYS ids are remembered (oldest forgotten first).
 */
const MAX_UNKNOWN_KEYS = 10_000;
/** Key ids we issue (`whk_…`) and the demo's; anything else is unknown without a lookup. */
const plausibleKeyId = /^[A-Za-z0-9_-]{1,64}$/;

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
  private readonly cacheMs: number;
  /** Key id → until when it is known not to exist (TELEPHONY_UNKNOWN_KEY_CACHE_MS). */
  private readonly unknown = new Map<string, number>();
  private readonly unknownMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: WebhookKeysRepository,
    @Inject(CONFIG) config: TelephonyConfig,
  ) {
    this.cacheMs = config.TELEPHONY_KEY_CACHE_MS;
    this.unknownMs = config.TELEPHONY_UNKNOWN_KEY_CACHE_MS;
  }

  /**
   * The tenant and the active secrets behind a key id, or null when the key is unknown or
   * revoked. Served from an in-memory cache of decrypted secrets (TELEPHONY_KEY_CACHE_MS): a
   * rotation or revocation clears the entry in every instance at once (NOTIFY), and an entry
   * is never used longer than that after it was read, even if a notification is lost.
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
    const rows = await this.keys.activeSecrets(this.dataSource.manager, keyId);
    const first = rows[0];
    if (!first) return null;
    return {
      tenantId: first.tenantId,
      loadedAtMs,
      secrets: rows.map((r) => ({
        secret: secretBox.open(r.secretSealed),
        expiresAtMs: r.expiresAt ? new Date(r.expiresAt).getTime() : null,
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
      await this.keys.listen(listener);
      this.invalidate();
      this.listening = true;
    } catch {
      lost();
    }
  }

  async list(tenantId: string): Promise<WebhookKeyView[]> {
    const keys = await this.keys.list(this.dataSource.manager, tenantId);
    // A revoked key shows no secrets.
    return keys.map((k) => (k.revokedAt ? { ...k, secrets: [] } : k));
  }

  /** Creates a key; the secret is returned this once and never again. */
  async create(tenantId: string, label: string | null): Promise<{ key: WebhookKeyView; secret: string }> {
    const secret = newSecret();
    const keyId = newKeyId();
    await this.dataSource.transaction(async (m) => {
      const rowId = await this.keys.insertKey(m, tenantId, keyId, label);
      if (!rowId) throw new Error('key insert returned nothing');
      await addKeySecret(m, rowId, secret, this.keys);
      // An instance that was asked for this id before it existed has it as unknown: forget that.
      await this.keys.notify(m, keyId);
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
      const rowId = await this.keys.lockActiveKey(m, tenantId, keyId);
      if (!rowId) throw notFound('webhookKey');
      await this.keys.startGracePeriod(m, rowId, graceHours);
      await addKeySecret(m, rowId, secret, this.keys);
      await this.keys.notify(m, keyId);
    });
    this.invalidate(keyId);
    return { key: await this.view(tenantId, keyId), secret };
  }

  async revoke(tenantId: string, keyId: string): Promise<WebhookKeyView> {
    // The notification goes out when the UPDATE commits: every instance forgets the key then.
    const revoked = await this.keys.revoke(this.dataSource.manager, tenantId, keyId);
    this.invalidate(keyId);
    if (!revoked) throw notFound('webhookKey');
    return this.view(tenantId, keyId);
  }

  private async view(tenantId: string, keyId: string): Promise<WebhookKeyView> {
    const key = (await this.list(tenantId)).find((k) => k.keyId === keyId);
    if (!key) throw notFound('webhookKey');
    return key;
  }
}
