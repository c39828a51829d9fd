import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derivedId, fromCallEvent, fromInteractionChange, isWebhookEventType, webhookBody } from './webhook-events';

const tenantId = randomUUID();
const phone = { raw: '09011112222', e164: '+819011112222', display: '090-1111-2222', type: 'MOBILE' };

const call = (event: 'ringing' | 'answered' | 'ended' | 'missed' | 'transferred') => ({
  id: randomUUID(),
  type: 'telephony.call-event' as const,
  tenantId,
  occurredAt: '2026-12-01T01:00:00.000Z',
  payload: {
    callId: 'c-1',
    event,
    from: phone,
    to: phone,
    source: 'webhook' as const,
    at: '2026-12-01T00:59:59.000Z',
  },
});

describe('webhook events', () => {
  it('turns call events into call.* in the call order, and no transfer', () => {
    for (const kind of ['ringing', 'answered', 'ended', 'missed'] as const) {
      const e = fromCallEvent(call(kind) as never);
      expect(e?.type).toBe(`call.${kind}`);
      expect(e?.orderKey).toBe('call:c-1');
      expect(e?.data.callId).toBe('c-1');
    }
    expect(fromCallEvent(call('transferred') as never)).toBeNull();
  });

  it('sends interaction.noted for notes and interaction.completed for an outcome, with stable ids', () => {
    const id = randomUUID();
    const change = (notes: string | null, outcome: string | null, kind = 'updated') => ({
      id,
      type: 'customers.interaction-change',
      tenantId,
      occurredAt: '2026-12-01T01:00:00.000Z',
      payload: {
        kind,
        interactionId: randomUUID(),
        callId: 'c-1',
        popupId: null,
        customerId: null,
        by: { userId: 'u', name: '佐藤' },
        notes,
        outcome,
        followUpOn: null,
        followUpAssigneeId: null,
        handledBy: [],
        customer: null,
        at: '2026-12-01T01:00:00.000Z',
      },
    });
    expect(fromInteractionChange(change('メモ', null) as never).map((e) => e.type)).toEqual(['interaction.noted']);
    const both = fromInteractionChange(change('メモ', '成約') as never);
    expect(both.map((e) => e.type)).toEqual(['interaction.noted', 'interaction.completed']);
    expect(both[0]?.id).toBe(id);
    expect(both[1]?.id).toBe(derivedId(id, 1));
    expect(both[1]?.id).not.toBe(id);
    expect(fromInteractionChange(change('メモ', '成約', 'taken') as never)).toEqual([]);
  });

  it('knows its ten types and writes the Standard Webhooks body', () => {
    expect(isWebhookEventType('invoice.issued')).toBe(true);
    expect(isWebhookEventType('webhook.test')).toBe(false);
    expect(JSON.parse(webhookBody({ type: 'call.ringing', occurredAt: 'T', data: { a: 1 } }))).toEqual({
      type: 'call.ringing',
      timestamp: 'T',
      data: { a: 1 },
    });
  });
});
