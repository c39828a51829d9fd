import { z } from 'zod';

/**
 * Every Kafka message is an envelope: who (tenant), what (type), when, the trace it belongs
 * to, and the payload. `id` is unique per event and is what consumers deduplicate on.
 */
export const envelopeSchema = <T extends z.ZodType>(type: string, payload: T) =>
  z.object({
    id: z.string().uuid(),
    type: z.literal(type),
    tenantId: z.string().uuid(),
    occurredAt: z.string().datetime({ offset: true }),
    traceparent: z.string().optional(),
    payload,
  });

export interface Envelope<P = unknown> {
  id: string;
  type: string;
  tenantId: string;
  occurredAt: string;
  traceparent?: string;
  payload: P;
}
