import { demo } from '@thankstar/platform/testing';
import type { EntityManager } from 'typeorm';
import { callNumberOf } from '../calls/call-number';
import { WebhookKeysRepository } from '../keys/webhook-keys.repository';
import { addKeySecret } from '../keys/webhook-keys.service';
import { LinesRepository } from '../lines/lines.repository';

/** Telephony's part of the demo tenant: its webhook signing key and its line 東京店. Idempotent. */
export async function seedDemo(manager: EntityManager): Promise<void> {
  const keys = new WebhookKeysRepository();
  const keyRowId = await keys.insertKey(manager, demo.tenantId, demo.webhook.keyId, 'demo');
  if (keyRowId) await addKeySecret(manager, keyRowId, demo.webhook.secret, keys);
  const line = callNumberOf(demo.line.number, 'line');
  if (!line?.e164) throw new Error(`demo line ${demo.line.number} is not a valid number`);
  await new LinesRepository().insert(manager, demo.tenantId, {
    numberRaw: demo.line.number,
    numberE164: line.e164,
    label: demo.line.label,
  });
}
