import { z } from 'zod';
import { envelopeSchema } from './envelope';
import { phoneNumberSchema } from './phone-number';

export const POPUPS_TOPIC = 'customers.popups.v1';

export const popupClasses = ['CUSTOMER', 'MULTIPLE_MATCHES', 'UNKNOWN', 'WITHHELD', 'EMPLOYEE', 'NUISANCE'] as const;
export type PopupClass = (typeof popupClasses)[number];

export const popupCustomerSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  nameKana: z.string().nullable(),
  company: z.string().nullable(),
  tags: z.array(z.string()),
});

export const popupPurchaseSchema = z.object({
  id: z.string().uuid(),
  purchasedOn: z.string(),
  item: z.string(),
  quantity: z.number().int(),
  amountYen: z.number().int(),
});

export const popupInteractionSchema = z.object({
  id: z.string().uuid(),
  occurredAt: z.string(),
  summary: z.string(),
  operatorName: z.string().nullable(),
});

export const popupPayloadSchema = z.object({
  /** Stable per call: a reconnecting client deduplicates on it. */
  popupId: z.string().uuid(),
  callId: z.string(),
  class: z.enum(popupClasses),
  caller: phoneNumberSchema,
  lineLabel: z.string().nullable(),
  rangAt: z.string().datetime({ offset: true }),
  customer: popupCustomerSchema.nullable(),
  candidates: z.array(popupCustomerSchema).max(5),
  purchases: z.array(popupPurchaseSchema).max(5),
  purchaseTotals: z.object({ count: z.number().int(), lifetimeValueYen: z.number().int() }).nullable(),
  interactions: z.array(popupInteractionSchema).max(5),
  notesAllowed: z.boolean(),
});
export type PopupPayload = z.infer<typeof popupPayloadSchema>;

export const popupSchema = envelopeSchema('customers.popup', popupPayloadSchema);
export type Popup = z.infer<typeof popupSchema>;

/** This service's topics and their schemas; `topics` in topics.ts merges every service's. */
export const customersTopics = {
  [POPUPS_TOPIC]: popupSchema,
} as const;
