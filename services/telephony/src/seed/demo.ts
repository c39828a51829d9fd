import { demo } from '@thankstar/platform/testing';
import type { EntityManager } from 'typeorm';
import { callNumberOf } from '../calls/call-number';
import { addKeySecret } from '../keys/webhook-keys.service';

/** Telephony's part of the demo tenant: its webhook signing key and its line 東京店. Idempotent. */
export async function seedDemo(manager: EntityManager): Promise<void> {
  const [key]: { id: string }[] = await manager.query(
    `INSERT INTO webhook_keys (tenant_id, key_id, label) VALUES ($1, $2, 'demo') ON CONFLICT (key_id) DO NOTHING RETURNING id`,
    [demo.tenantId, demo.webhook.keyId],
  );
  if (key) await addKeySecret(manager, key.id, demo.webhook.secret);
  const line = callNumberOf(demo.line.number, 'line');
  if (!line?.e164) throw new Error(`demo line ${demo.line.number} is not a valid number`);
  await manager.query(
    `INSERT INTO lines (tenant_id, number_raw, number_e164, label) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, number_e164) DO NOTHING`,
    [demo.tenantId, demo.line.number, line.e164, demo.line.label],
  );
}
