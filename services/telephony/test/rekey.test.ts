import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { openSecretWith } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rekeySecrets } from '../src/keys/rekey';
import { DEVELOPMENT_SECRET_KEY } from '../src/keys/secret-box';
import { WebhookKeysService } from '../src/keys/webhook-keys.service';
import { SipListenerService } from '../src/sip/sip-listener.service';
import { TwilioAccountsService } from '../src/twilio/twilio-accounts.service';
import { createKey, postSigned, ringBody, startTelephony } from './harness';

describe('re-sealing the stored secrets under a new TELEPHONY_SECRET_KEY', () => {
  let app: INestApplication;
  let url: string;
  const saved = { key: process.env.TELEPHONY_SECRET_KEY, previous: process.env.TELEPHONY_SECRET_KEY_PREVIOUS };
  const oldKey = process.env.TELEPHONY_SECRET_KEY || DEVELOPMENT_SECRET_KEY;
  const newKey = `new-${randomUUID()}`;
  const tenant = randomUUID();
  const accountSid = `AC${randomUUID().replace(/-/g, '')}`;
  const authToken = 'abcdef0123456789abcdef0123456789';
  const sealed = async () => {
    const rows: { sealed: string }[] = await app.get(DataSource).query(
      `SELECT secret_encrypted AS sealed FROM webhook_key_secrets
       UNION ALL SELECT auth_token_encrypted FROM twilio_accounts
       UNION ALL SELECT password_encrypted FROM sip_accounts`,
    );
    return rows.map((r) => r.sealed);
  };
  const restoreEnv = () => {
    for (const [name, value] of [
      ['TELEPHONY_SECRET_KEY', saved.key],
      ['TELEPHONY_SECRET_KEY_PREVIOUS', saved.previous],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };

  beforeAll(async () => {
    ({ app, url } = await startTelephony());
  });

  afterEach(restoreEnv);

  afterAll(async () => {
    restoreEnv();
    await app?.close();
  });

  it('re-seals webhook secrets, Twilio tokens and SIP passwords in one go; the service then runs on the new key alone', async () => {
    const key = await createKey(app, tenant);
    await app.get(TwilioAccountsService).set(tenant, accountSid, authToken);
    await app
      .get(SipListenerService)
      .configure(tenant, { registrar: '203.0.114.1:5060', username: '201', password: 'sip-pass', transport: 'udp' });
    const before = await sealed();
    expect(before).toHaveLength(3);

    const counts = await app.get(DataSource).transaction((m) => rekeySecrets(m, oldKey, newKey));
    expect(counts).toEqual({
      webhookSecrets: { resealed: 1, already: 0 },
      twilioTokens: { resealed: 1, already: 0 },
      sipPasswords: { resealed: 1, already: 0 },
    });
    const after = await sealed();
    expect(after.map((s) => openSecretWith(newKey, s)).sort()).toEqual([authToken, key.secret, 'sip-pass'].sort());
    for (const s of after) expect(() => openSecretWith(oldKey, s)).toThrow();

    // The service with only the new key: the webhook key and the Twilio token open again.
    process.env.TELEPHONY_SECRET_KEY = newKey;
    delete process.env.TELEPHONY_SECRET_KEY_PREVIOUS;
    app.get(WebhookKeysService).invalidate();
    expect((await postSigned(url, key, ringBody(randomUUID()))).status).toBe(202);
    expect(await app.get(TwilioAccountsService).authenticate(accountSid, (token) => token === authToken)).toEqual({
      tenantId: tenant,
    });

    // A second run finds everything under the new key already and changes nothing.
    const again = await app.get(DataSource).transaction((m) => rekeySecrets(m, oldKey, newKey));
    expect(Object.values(again)).toEqual(Array(3).fill({ resealed: 0, already: 1 }));
    expect(await sealed()).toEqual(after);
  });

  it('changes nothing when a secret opens with neither key', async () => {
    const before = await sealed();
    expect(before.length).toBeGreaterThan(0);
    await expect(
      app.get(DataSource).transaction((m) => rekeySecrets(m, 'not-the-old-key', `other-${randomUUID()}`)),
    ).rejects.toThrow(/opens with neither/);
    expect(await sealed()).toEqual(before);
  });
});
