import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookKeysService } from '../src/keys/webhook-keys.service';
import { createKey, eventually, postSigned, ringBody, startTelephony } from './harness';

/**
 * Webhook keys are cached in memory with their decrypted secrets. The cache entry lives ten
 * minutes here, far longer than the test waits: only the NOTIFY sent on rotation and
 * revocation can make the second instance see them.
 */
describe('webhook key cache across instances', () => {
  let a: INestApplication;
  let b: { app: INestApplication; url: string };
  const cacheMs = process.env.TELEPHONY_KEY_CACHE_MS;
  const tenant = randomUUID();

  beforeAll(async () => {
    process.env.TELEPHONY_KEY_CACHE_MS = String(10 * 60_000);
    const first = await startTelephony();
    a = first.app;
    b = await startTelephony({ reset: false, auth: first.auth });
  });

  afterAll(async () => {
    if (cacheMs === undefined) delete process.env.TELEPHONY_KEY_CACHE_MS;
    else process.env.TELEPHONY_KEY_CACHE_MS = cacheMs;
    await b?.app.close();
    await a?.close();
  });

  it('a key revoked on one instance is refused by another at once, although it had cached it', async () => {
    const key = await createKey(a, tenant);
    expect((await postSigned(b.url, key, ringBody(randomUUID()))).status).toBe(202);
    await a.get(WebhookKeysService).revoke(tenant, key.keyId);
    await eventually(
      async () => (await postSigned(b.url, key, ringBody(randomUUID()))).json.code === 'UNKNOWN_KEY',
      'the other instance to refuse the revoked key',
    );
  });

  it('a rotation without grace period retires the old secret on every instance', async () => {
    const key = await createKey(a, tenant);
    expect((await postSigned(b.url, key, ringBody(randomUUID()))).status).toBe(202);
    const { secret } = await a.get(WebhookKeysService).rotate(tenant, key.keyId, 0);
    await eventually(
      async () => (await postSigned(b.url, key, ringBody(randomUUID()))).json.code === 'INVALID_SIGNATURE',
      'the other instance to refuse the old secret',
    );
    expect((await postSigned(b.url, { keyId: key.keyId, secret }, ringBody(randomUUID()))).status).toBe(202);
  });
});
