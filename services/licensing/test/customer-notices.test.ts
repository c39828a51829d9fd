import { randomUUID } from 'node:crypto';
import { NOTICES_TOPIC, type NoticeEvent, noticeSchema } from '@thankstar/contracts';
import { KafkaJsBus, kafkaBrokersFromEnv } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/identity/password';
import { startMailbox } from './mailbox';
import { eventually, startTestApp, type TestApp } from './support';

/**
 * customers.notices.v1 through the real broker to a real local SMTP server: when customers
 * disables a tenant's outbound webhook endpoint after repeated failure, every active admin of
 * that tenant is mailed in Japanese (docs/integrations.md "Outbound webhooks"); nobody else is, and a redelivered event mails once.
 */

let t: TestApp;
let mailbox: Awaited<ReturnType<typeof startMailbox>>;
let bus: KafkaJsBus;

async function createTenant(name: string): Promise<string> {
  const id = randomUUID();
  await t.db.query("INSERT INTO tenants (id, name, is_provider, timezone) VALUES ($1, $2, false, 'Asia/Tokyo')", [
    id,
    name,
  ]);
  return id;
}

async function createUser(tenantId: string, roles: string[], disabled = false): Promise<string> {
  const email = `${randomUUID()}@example.jp`;
  await t.db.query(
    'INSERT INTO users (tenant_id, email, name, password_hash, roles, disabled_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [tenantId, email, '山田 花子', await hashPassword('a long enough password'), roles, disabled ? new Date() : null],
  );
  return email;
}

const notice = (tenantId: string): NoticeEvent =>
  noticeSchema.parse({
    id: randomUUID(),
    type: 'customers.notice',
    tenantId,
    occurredAt: new Date().toISOString(),
    payload: {
      kind: 'WEBHOOK_ENDPOINT_DISABLED',
      endpointId: randomUUID(),
      endpointHost: 'hooks.example.jp:8443',
      failures: 5,
      lastError: 'HTTP 503',
      disabledAt: '2026-12-07T01:05:00Z',
    },
  });

/** Publishes the event and waits until licensing has recorded it as processed. */
async function publish(event: NoticeEvent): Promise<void> {
  await bus.publish([{ topic: NOTICES_TOPIC, key: event.tenantId, value: JSON.stringify(event) }]);
  await eventually(
    async () =>
      (
        await t.db.query(
          "SELECT 1 FROM processed_events WHERE consumer = 'licensing.customer-notices' AND event_id = $1",
          [event.id],
        )
      ).length
        ? true
        : undefined,
    `notice ${event.id} to be consumed`,
    60_000,
  );
}

beforeAll(async () => {
  mailbox = await startMailbox();
  process.env.SMTP_URL = mailbox.url;
  process.env.PUBLIC_APP_URL = 'https://app.example.jp';
  t = await startTestApp();
  bus = new KafkaJsBus({ clientId: 'licensing-test-customers', brokers: kafkaBrokersFromEnv() });
});
afterAll(async () => {
  await bus?.close();
  await t?.close();
  await mailbox?.close();
  delete process.env.SMTP_URL;
  delete process.env.PUBLIC_APP_URL;
});

describe('customers.notices.v1: a webhook endpoint disabled after repeated failure', () => {
  it('mails every active admin of that tenant once, and nobody else', async () => {
    const tenantA = await createTenant('株式会社サンプル');
    const tenantB = await createTenant('別の会社');
    const adminA1 = await createUser(tenantA, ['tenant-admin']);
    const adminA2 = await createUser(tenantA, ['tenant-admin', 'operator']);
    const operatorA = await createUser(tenantA, ['operator']);
    const disabledAdminA = await createUser(tenantA, ['tenant-admin'], true);
    const adminB = await createUser(tenantB, ['tenant-admin']);

    const event = notice(tenantA);
    await publish(event);

    const mail = await mailbox.waitFor(adminA1);
    await mailbox.waitFor(adminA2);
    expect(mail.subject).toBe('【Thankstar】Webhook の送信を停止しました');
    expect(mail.text).toContain('山田 花子 様');
    expect(mail.text).toContain('株式会社サンプルの Webhook 送信先 hooks.example.jp:8443 への送信が 5 件続けて失敗');
    expect(mail.text).toContain('最後のエラー: HTTP 503');
    // 01:05 UTC is 10:05 in Tokyo, the tenant's own clock.
    expect(mail.text).toContain('停止日時: 2026年12月7日 10:05');
    expect(mail.text).toContain('https://app.example.jp/#/integrations/webhooks');

    const recipients = () => mailbox.mails.flatMap((m) => m.to);
    for (const other of [operatorA, disabledAdminA, adminB]) expect(recipients()).not.toContain(other);

    // The same event again (a redelivery), then a new one on the same key (same partition, so
    // consumed after the duplicate): the admins get the first and the new one, not the duplicate.
    await bus.publish([{ topic: NOTICES_TOPIC, key: event.tenantId, value: JSON.stringify(event) }]);
    await publish(notice(tenantA));
    expect(recipients().filter((to) => to === adminA1)).toHaveLength(2);
    expect(recipients().filter((to) => to === adminA2)).toHaveLength(2);

    // The other tenant's own notice goes to its admin only.
    const before = mailbox.mails.length;
    await publish(notice(tenantB));
    expect(mailbox.mails.slice(before).flatMap((m) => m.to)).toEqual([adminB]);
    for (const other of [operatorA, disabledAdminA]) expect(recipients()).not.toContain(other);
  });
});
