import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKeySecret } from '../src/keys/webhook-keys.service';
import { eventually, postSigned, ringBody, startTelephony } from './harness';

/**
 * The key named in X-Thankstar-Key is checked before the body is read: an unknown key costs
 * neither a JSON parse nor (within 30 s) a second database lookup.
 */
describe('webhook key gate (before the body is parsed)', () => {
  let app: INestApplication;
  let url: string;
  const tenant = randomUUID();

  beforeAll(async () => {
    ({ app, url } = await startTelephony());
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses an unknown key with 401 UNKNOWN_KEY without parsing the body: invalid JSON is not a 400', async () => {
    const res = await postSigned(url, { keyId: 'whk_nobody000', secret: 'x' }, null, { rawBody: '{"callId": ' });
    expect(res).toMatchObject({ status: 401, json: { code: 'UNKNOWN_KEY', message: expect.any(String) } });
  });

  it('refuses an unknown key with 401, not 413, whatever the size of the body', async () => {
    const res = await postSigned(url, { keyId: 'whk_nobody001', secret: 'x' }, null, {
      rawBody: `{"pad":"${'x'.repeat(1024 * 1024)}"}`,
    });
    expect(res).toMatchObject({ status: 401, json: { code: 'UNKNOWN_KEY' } });
  });

  it('refuses a missing or implausible key id with 401 UNKNOWN_KEY', async () => {
    const missing = await fetch(`${url}/v1/calls/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { code: string }).code).toBe('UNKNOWN_KEY');
    const odd = await postSigned(
      url,
      { keyId: `k${'\u00e9'.repeat(3)}${'y'.repeat(500)}`, secret: 'x' },
      ringBody('c'),
    );
    expect(odd).toMatchObject({ status: 401, json: { code: 'UNKNOWN_KEY' } });
  });

  it('remembers an unknown key id (no second lookup) until a NOTIFY about it says otherwise', async () => {
    const keyId = `whk_${randomUUID().slice(0, 12)}`;
    const secret = 'whsec_gate-test-secret';
    expect((await postSigned(url, { keyId, secret }, ringBody(randomUUID()))).json.code).toBe('UNKNOWN_KEY');
    // The key appears in the database behind the service's back (no NOTIFY): still unknown,
    // which shows the answer came from the negative cache, not from a lookup.
    const ds = app.get(DataSource);
    await ds.transaction(async (m) => {
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO webhook_keys (tenant_id, key_id, label) VALUES ($1, $2, 'gate') RETURNING id`,
        [tenant, keyId],
      );
      if (!row) throw new Error('no key row');
      await addKeySecret(m, row.id, secret);
    });
    expect((await postSigned(url, { keyId, secret }, ringBody(randomUUID()))).json.code).toBe('UNKNOWN_KEY');
    // Creating a key NOTIFYs its id (WebhookKeysService.create); the same message clears the entry.
    await ds.query(`SELECT pg_notify('telephony_webhook_keys', $1)`, [keyId]);
    await eventually(
      async () => (await postSigned(url, { keyId, secret }, ringBody(randomUUID()))).status === 202,
      'the key to be accepted once the negative entry is cleared',
    );
  });
});
