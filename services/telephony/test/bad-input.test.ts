import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, postSigned, ringBody, startTelephony } from './harness';

describe('webhook bad input', () => {
  let app: INestApplication;
  let url: string;
  let key: { keyId: string; secret: string };
  const tenant = randomUUID();
  const stored = async () => Number((await app.get(DataSource).query('SELECT count(*) AS n FROM call_events'))[0].n);

  beforeAll(async () => {
    ({ app, url } = await startTelephony());
    key = await createKey(app, tenant);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses an oversized body with 413 JSON', async () => {
    const res = await postSigned(url, key, ringBody(randomUUID(), { padding: 'x'.repeat(300 * 1024) }));
    expect(res).toMatchObject({ status: 413, json: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('answers random signed bodies with 202 or a 4xx JSON error, never a 5xx', async () => {
    const before = await stored();
    let accepted = 0;
    const field = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer(),
      fc.constant(null),
      fc.constantFrom('P', 'anonymous', '0312345678', '+81 90 1111 2222'),
    );
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          callId: field,
          event: fc.oneof(field, fc.constantFrom('ringing', 'answered', 'ended', 'missed', 'transferred')),
          from: field,
          to: field,
          occurredAt: fc.oneof(
            field,
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          ),
          extension: field,
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const res = await postSigned(url, key, value);
        expect(res.status === 202 || (res.status >= 400 && res.status < 500), JSON.stringify({ value, res })).toBe(
          true,
        );
        if (res.status === 202) accepted += 1;
        else expect(res.json.code).toEqual(expect.any(String));
      }),
      { numRuns: 150 },
    );
    // Only accepted bodies were stored; refused ones left nothing behind.
    expect(await stored()).toBeLessThanOrEqual(before + accepted);
  });

  it('answers random raw bytes (not JSON) with a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (raw) => {
        const res = await postSigned(url, key, null, { rawBody: raw });
        expect(res.status === 202 || (res.status >= 400 && res.status < 500), raw).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
