import { z } from 'zod';
import { envelopeSchema } from './envelope';
import { phoneNumberSchema } from './phone-number';

export const POPUPS_TOPIC = 'customers.popups.v1';
export const INTERACTIONS_TOPIC = 'customers.interactions.v1';
export const KEYED_RECORDS_TOPIC = 'customers.keyed-records.v1';
export const NOTICES_TOPIC = 'customers.notices.v1';

export const popupClasses = ['CUSTOMER', 'MULTIPLE_MATCHES', 'UNKNOWN', 'WITHHELD', 'EMPLOYEE', 'NUISANCE'] as const;
export type PopupClass = (typeof popupClasses)[number];

export const customFieldTypes = ['TEXT', 'NUMBER', 'DATE', 'SELECT', 'MULTI_SELECT', 'BOOLEAN'] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

/** A tenant-defined field as shown in a popup; `values` holds one entry except for multi-select. */
export const popupCustomFieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(customFieldTypes),
  values: z.array(z.string()),
});

export const popupAddressSchema = z.object({
  postalCode: z.string().nullable(),
  prefecture: z.string().nullable(),
  city: z.string().nullable(),
  street: z.string().nullable(),
  building: z.string().nullable(),
});

export const popupCustomerPhoneSchema = z.object({
  raw: z.string(),
  display: z.string().nullable(),
  type: z.enum(['MOBILE', 'HOME', 'WORK', 'FAX', 'OTHER']),
  label: z.string().nullable(),
});

export const popupCustomerSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  nameKana: z.string().nullable(),
  company: z.string().nullable(),
  tags: z.array(z.string()),
  // Added after v1 shipped; optional so older events still validate.
  department: z.string().nullable().optional(),
  phones: z.array(popupCustomerPhoneSchema).optional(),
  emails: z.array(z.string()).optional(),
  address: popupAddressSchema.nullable().optional(),
  notes: z.string().nullable().optional(),
  customFields: z.array(popupCustomFieldSchema).optional(),
  lastPurchaseOn: z.string().nullable().optional(),
});

export const popupPurchaseSchema = z.object({
  id: z.string().uuid(),
  purchasedOn: z.string(),
  item: z.string(),
  quantity: z.number().int(),
  amountYen: z.number().int(),
  channel: z.string().nullable().optional(),
});

export const popupInteractionSchema = z.object({
  id: z.string().uuid(),
  occurredAt: z.string(),
  summary: z.string(),
  operatorName: z.string().nullable(),
  outcome: z.string().nullable().optional(),
});

export const popupFollowUpSchema = z.object({
  interactionId: z.string().uuid(),
  dueOn: z.string(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  note: z.string().nullable(),
});

export const popupHandlerSchema = z.object({
  userId: z.string(),
  name: z.string().nullable(),
  since: z.string().datetime({ offset: true }),
});

/** A card from the tenant's own database (a lookup source, Integration plan), shown beside the record. */
export const popupCardSchema = z.object({
  sourceId: z.string().uuid(),
  sourceName: z.string(),
  recordId: z.string(),
  title: z.string(),
  fields: z.array(z.object({ label: z.string(), value: z.string() })),
  links: z.array(z.object({ label: z.string(), url: z.string() })),
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
  // Added after v1 shipped; optional so older events still validate.
  /** The interaction (対応履歴) row this call created: notes and outcome are written to it. */
  interactionId: z.string().uuid().nullable().optional(),
  /** The nuisance list's reason, when class is NUISANCE. */
  nuisanceReason: z.string().nullable().optional(),
  /** The employee's label, when class is EMPLOYEE. */
  employeeLabel: z.string().nullable().optional(),
  /** Open follow-ups of the customer, soonest first. */
  followUps: z.array(popupFollowUpSchema).optional(),
  /** Operators who said "I'm taking this" for the call. */
  handledBy: z.array(popupHandlerSchema).optional(),
  /** The notes and outcome written on this call so far (a transferred call keeps them). */
  notes: z.string().nullable().optional(),
  outcome: z.string().nullable().optional(),
  /** Set when the popup is sent again because the call was transferred. */
  transferredAt: z.string().datetime({ offset: true }).nullable().optional(),
  /**
   * MULTIPLE_MATCHES: how many matching customers `candidates` does not list (the list holds at most
   * 5, fewer when the popup had to fit its size budget). Absent or 0 when every match is listed.
   */
  moreCandidates: z.number().int().nonnegative().optional(),
  /**
   * Cards from the tenant's lookup sources (Integration plan): those that answered within their
   * budget when the call rang; the popup is sent again with every card when a source answers late.
   */
  cards: z.array(popupCardSchema).optional(),
});
export type PopupPayload = z.infer<typeof popupPayloadSchema>;

export const popupSchema = envelopeSchema('customers.popup', popupPayloadSchema);
export type Popup = z.infer<typeof popupSchema>;

/**
 * What operators do during a call, so the others see it live: someone takes the call, the
 * notes/outcome/follow-up change, the profile is corrected. Keyed `tenantId:callId` when the
 * interaction belongs to a call, so it stays in order with the call's popup.
 */
export const interactionChangePayloadSchema = z.object({
  kind: z.enum(['taken', 'updated', 'profile-corrected']),
  interactionId: z.string().uuid().nullable(),
  callId: z.string().nullable(),
  popupId: z.string().uuid().nullable(),
  customerId: z.string().uuid().nullable(),
  by: z.object({ userId: z.string(), name: z.string().nullable() }),
  notes: z.string().nullable(),
  outcome: z.string().nullable(),
  followUpOn: z.string().nullable(),
  followUpAssigneeId: z.string().nullable(),
  handledBy: z.array(popupHandlerSchema),
  /** The corrected customer, for `profile-corrected`. */
  customer: popupCustomerSchema.nullable(),
  at: z.string().datetime({ offset: true }),
});
export type InteractionChangePayload = z.infer<typeof interactionChangePayloadSchema>;

export const interactionChangeSchema = envelopeSchema('customers.interaction-change', interactionChangePayloadSchema);

/**
 * Records keyed in by the provider's data-entry staff (list input billed per record): one event
 * per finished data-entry import (never for a dry run) that saved at least one keyed record, sent
 * through the outbox in the transaction that closes the job. Keyed `tenantId`. Billing counts it
 * once per (tenant, importJobId) and puts it in the month of `startedAt` in the tenant's own
 * timezone (billing's business calendar; customers does not know the tenant's zone).
 */
export const keyedRecordsPayloadSchema = z.object({
  importJobId: z.string().uuid(),
  /** Rows the import created or actually changed (an unchanged row of a re-import is not keyed). */
  records: z.number().int().positive(),
  /** When the import started: the month is taken from it, in the tenant's timezone. */
  startedAt: z.string().datetime({ offset: true }),
  finishedAt: z.string().datetime({ offset: true }),
  /**
   * SUCCEEDED, or FAILED when the import stopped part-way (a bad file, or the process died:
   * `IMPORT_INTERRUPTED`); the rows of the chunks it committed are saved and counted either way.
   */
  outcome: z.enum(['SUCCEEDED', 'FAILED']),
  errorCode: z.string().nullable(),
});

export const keyedRecordsSchema = envelopeSchema('customers.keyed-records', keyedRecordsPayloadSchema);
export type KeyedRecordsEvent = z.infer<typeof keyedRecordsSchema>;

/**
 * Something a tenant's admins must be told about, sent by customers through the outbox in the
 * transaction of the change; licensing (which knows the tenant's admins) mails every active
 * tenant admin (docs/integrations.md "Outbound webhooks"). Keyed `tenantId`. One kind for now:
 * an outbound webhook endpoint disabled after repeated failure. `endpointHost` is the URL's host
 * only: the path, query and secret never leave customers.
 */
export const noticePayloadSchema = z.object({
  kind: z.enum(['WEBHOOK_ENDPOINT_DISABLED']),
  endpointId: z.string().uuid(),
  endpointHost: z.string().min(1),
  /** Deliveries given up in a row that disabled it (WEBHOOK_DISABLE_AFTER). */
  failures: z.number().int().positive(),
  /** The last attempt's error, e.g. `HTTP 500` or a connection error (at most 500 characters). */
  lastError: z.string().nullable(),
  disabledAt: z.string().datetime({ offset: true }),
});
export type NoticePayload = z.infer<typeof noticePayloadSchema>;

export const noticeSchema = envelopeSchema('customers.notice', noticePayloadSchema);
export type NoticeEvent = z.infer<typeof noticeSchema>;

/** This service's topics and their schemas; `topics` in topics.ts merges every service's. */
export const customersTopics = {
  [POPUPS_TOPIC]: popupSchema,
  [INTERACTIONS_TOPIC]: interactionChangeSchema,
  [KEYED_RECORDS_TOPIC]: keyedRecordsSchema,
  [NOTICES_TOPIC]: noticeSchema,
} as const;
