import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../src/webhook/webhook-signature';
import { createKey, ringBody, startTelephony } from './harness';

describe('per-tenant rate limit', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    // Three at once, then one every 100 s: the fourth request inside the test is always over.
    process.env.TELEPHONY_RATE_LIMIT_BURST = '3';
    process.env.TELEPHONY_RATE_LIMIT_PER_SECOND = '0.01';
    ({ app, url } = await startTelephony());
  });

  afterAll(async () => {
    delete process.env.TELEPHONY_RATE_LIMIT_BURST;
    delete process.env.TELEPHONY_RATE_LIMIT_PER_SECOND;
    await app?.close();
  });

  const post = async (key: { keyId: string; secret: string }) => {
    const body = JSON.stringify(ringBody(randomUUID()));
    const res = await fetch(`${url}/v1/calls/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-thankstar-key': key.keyId,
        'x-thankstar-signature': signWebhook(key.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      json: (await res.json()) as { code?: string },
    };
  };

  it('answers 429 with Retry-After to a tenant over its limit, and only to that tenant', async () => {
    const keyA = await createKey(app, randomUUID());
    const keyB = await createKey(app, randomUUID());
    for (let i = 0; i < 3; i++) expect((await post(keyA)).status).toBe(202);
    const limited = await post(keyA);
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe('RATE_LIMITED');
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await post(keyB)).status).toBe(202);
  });
});
