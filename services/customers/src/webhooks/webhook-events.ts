import type { CallEvent, Envelope, InteractionChangePayload, InvoiceIssuedEvent, Popup } from '@thankstar/contracts';

/**
 * What a tenant's outbound webhooks can carry (docs/integrations.md "Outbound webhooks"), and how
 * each is made from the events customers sees. Pure: no Nest, TypeORM or kafkajs.
 */
export const webhookEventTypes = [
  'call.ringing',
  'call.answered',
  'call.ended',
  'call.missed',
  'popup.shown',
  'interaction.noted',
  'interaction.completed',
  'customer.created',
  'customer.updated',
  'invoice.issued',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** The "send a test event" button's type: sent to one endpoint whatever it subscribes to. */
export const TEST_EVENT_TYPE = 'webhook.test';

export const isWebhookEventType = (t: string): t is WebhookEventType =>
  (webhookEventTypes as readonly string[]).includes(t);

/**
 * One event to deliver. `id` is the `webhook-id` (stable across retries and replays, so a
 * receiver can deduplicate); `orderKey` groups the events that must arrive in order (one call's).
 */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType | typeof TEST_EVENT_TYPE;
  tenantId: string;
  occurredAt: string;
  orderKey: string | null;
  data: Record<string, unknown>;
}

/** The body sent: the Standard Webhooks shape `{type, timestamp, data}`. */
export const webhookBody = (e: Pick<WebhookEvent, 'type' | 'occurredAt' | 'data'>) =>
  JSON.stringify({ type: e.type, timestamp: e.occurredAt, data: e.data });

const callOrder = (callId: string) => `call:${callId}`;

/** telephony.call-events.v1 → call.ringing / answered / ended / missed (a transfer is not sent). */
export function fromCallEvent(event: CallEvent): WebhookEvent | null {
  const p = event.payload;
  if (p.event === 'transferred') return null;
  return {
    id: event.id,
    type: `call.${p.event}`,
    tenantId: event.tenantId,
    occurredAt: event.occurredAt,
    orderKey: callOrder(p.callId),
    data: {
      callId: p.callId,
      from: p.from,
      to: p.to,
      lineId: p.lineId ?? null,
      lineLabel: p.lineLabel ?? null,
      extension: p.extension ?? null,
      operatorId: p.operatorId ?? null,
      source: p.source,
      at: p.at,
    },
  };
}

/** customers.popups.v1 → popup.shown (the caller's record in brief; a transfer's re-sent popup is not sent again). */
export function fromPopup(event: Popup): WebhookEvent | null {
  const p = event.payload;
  if (p.transferredAt) return null;
  const c = p.customer;
  return {
    id: event.id,
    type: 'popup.shown',
    tenantId: event.tenantId,
    occurredAt: event.occurredAt,
    orderKey: callOrder(p.callId),
    data: {
      popupId: p.popupId,
      callId: p.callId,
      class: p.class,
      caller: p.caller,
      lineLabel: p.lineLabel,
      rangAt: p.rangAt,
      interactionId: p.interactionId ?? null,
      customer: c ? { id: c.id, name: c.name, nameKana: c.nameKana, company: c.company, tags: c.tags } : null,
      candidates: p.candidates.map((m) => ({ id: m.id, name: m.name, company: m.company })),
    },
  };
}

/**
 * customers.interactions.v1 → interaction.noted (a save that carries notes) and
 * interaction.completed (a save that carries an outcome: the outcome closes the interaction).
 * "Taken" and profile corrections are not sent (a correction is `customer.updated`). The two
 * events of one save get ids derived from the change's id, so a replayed change gives the same ids.
 */
export function fromInteractionChange(event: Envelope<InteractionChangePayload>): WebhookEvent[] {
  const p = event.payload;
  if (p.kind !== 'updated') return [];
  const data = {
    interactionId: p.interactionId,
    callId: p.callId,
    customerId: p.customerId,
    notes: p.notes,
    outcome: p.outcome,
    followUpOn: p.followUpOn,
    by: p.by,
    at: p.at,
  };
  const base = {
    tenantId: event.tenantId,
    occurredAt: p.at,
    orderKey: p.callId ? callOrder(p.callId) : null,
    data,
  };
  const out: WebhookEvent[] = [];
  if (p.notes?.trim()) out.push({ ...base, id: event.id, type: 'interaction.noted' });
  if (p.outcome?.trim()) out.push({ ...base, id: derivedId(event.id, 1), type: 'interaction.completed' });
  return out;
}

/** billing.invoices.v1 → invoice.issued. */
export function fromInvoiceIssued(event: InvoiceIssuedEvent): WebhookEvent {
  return {
    id: event.id,
    type: 'invoice.issued',
    tenantId: event.tenantId,
    occurredAt: event.payload.issuedAt,
    orderKey: null,
    data: { ...event.payload },
  };
}

/** A customer written through the API (create, update, a profile correction): customer.created / updated. */
export function customerEvent(
  id: string,
  type: 'customer.created' | 'customer.updated',
  c: {
    id: string;
    tenantId: string;
    externalId: string | null;
    name: string;
    nameKana: string | null;
    company: string | null;
    department: string | null;
    emails: string[];
    tags: string[];
    createdAt: string;
    updatedAt: string;
  },
): WebhookEvent {
  return {
    id,
    type,
    tenantId: c.tenantId,
    occurredAt: c.updatedAt,
    orderKey: null,
    data: {
      customerId: c.id,
      externalId: c.externalId,
      name: c.name,
      nameKana: c.nameKana,
      company: c.company,
      department: c.department,
      emails: c.emails,
      tags: c.tags,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    },
  };
}

/** A second uuid made from one (the last hex digit bumped), stable for the same input. */
export function derivedId(id: string, n: number): string {
  const last = Number.parseInt(id.slice(-1), 16);
  return `${id.slice(0, -1)}${((last + n) % 16).toString(16)}`;
}
