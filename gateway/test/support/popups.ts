import { randomUUID } from 'node:crypto';
import { POPUPS_TOPIC, type Popup, popupSchema } from '@thankstar/contracts';
import type { MessageBus } from '@thankstar/platform';

export const popupsQuery = 'subscription { popups { popupId callId class caller { e164 } customer { name } } }';

export type ReceivedPopup = { popupId: string; callId: string; class: string; customer: { name: string } | null };

/** A popup envelope valid per the contract's schema. */
export function popupEnvelope(tenantId: string, customerName = 'Sato Hanako'): Popup {
  const callId = `call-${randomUUID()}`;
  return popupSchema.parse({
    id: randomUUID(),
    type: 'customers.popup',
    tenantId,
    occurredAt: new Date().toISOString(),
    payload: {
      popupId: randomUUID(),
      callId,
      class: 'CUSTOMER',
      caller: { raw: '0312345678', e164: '+81312345678', display: '03-1234-5678', valid: true, withheldReason: null },
      lineLabel: '東京店',
      rangAt: new Date().toISOString(),
      customer: { id: randomUUID(), name: customerName, nameKana: null, company: null, tags: [] },
      candidates: [],
      purchases: [],
      purchaseTotals: { count: 0, lifetimeValueYen: 0 },
      interactions: [],
      notesAllowed: true,
    },
  });
}

export async function publishPopups(bus: MessageBus, popups: Popup[]): Promise<void> {
  // One request per ~512 KB: several big popups landing on one partition would otherwise make a
  // record batch over the broker's 1 MB message limit.
  let chunk: Array<{ topic: string; key: string; value: string }> = [];
  let bytes = 0;
  for (const p of popups) {
    const value = JSON.stringify(p);
    if (chunk.length > 0 && bytes + Buffer.byteLength(value) > 512_000) {
      await bus.publish(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push({ topic: POPUPS_TOPIC, key: `${p.tenantId}:${p.payload.callId}`, value });
    bytes += Buffer.byteLength(value);
  }
  await bus.publish(chunk);
}
