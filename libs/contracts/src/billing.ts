import { z } from 'zod';
import { envelopeSchema } from './envelope';

export const CONTRACTS_TOPIC = 'billing.contracts.v1';

/**
 * A tenant's contract as licensing needs it: how many concurrent-connection packs are in force
 * and whether desktop seats are billed (Cloud plan) or free (Integration plan). Sent whenever
 * the contract changes; the newest event per tenant wins (compare `version`).
 */
export const contractChangedPayloadSchema = z.object({
  contractId: z.string().uuid(),
  /** Monotonic per tenant, so a consumer can ignore an older event that arrives late. */
  version: z.number().int().nonnegative(),
  status: z.enum(['active', 'terminated']),
  connectionPacks: z.number().int().min(0).max(19),
  planCode: z.string(),
  at: z.string().datetime({ offset: true }),
});

export const contractChangedSchema = envelopeSchema('billing.contract-changed', contractChangedPayloadSchema);
export type ContractChangedEvent = z.infer<typeof contractChangedSchema>;

/** Billing's topics and their schemas; `topics` in topics.ts merges every service's. */
export const billingTopics = {
  [CONTRACTS_TOPIC]: contractChangedSchema,
} as const;
