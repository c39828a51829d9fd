import { z } from 'zod';
import { envelopeSchema } from './envelope';

export const SESSIONS_TOPIC = 'licensing.sessions.v1';
/** Access tokens that stop being accepted before they expire; every service and the gateway read it. */
export const ACCESS_REVOCATIONS_TOPIC = 'licensing.access-revocations.v1';

export const sessionPayloadSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('connected'),
    leaseId: z.string().uuid(),
    userId: z.string().uuid(),
    deviceKind: z.enum(['web', 'mobile', 'desktop']),
    at: z.string().datetime({ offset: true }),
  }),
  z.object({
    kind: z.literal('disconnected'),
    leaseId: z.string().uuid(),
    userId: z.string().uuid(),
    /** `revoked`: a desktop lease whose PC's pairing an admin revoked (added with pairing). */
    reason: z.enum(['closed', 'expired', 'ended-by-admin', 'revoked']),
    /** Optional (added with desktop leases, so older events stay valid): which client kind ended. */
    deviceKind: z.enum(['web', 'mobile', 'desktop']).optional(),
    at: z.string().datetime({ offset: true }),
  }),
  z.object({
    kind: z.literal('seat-registered'),
    seatId: z.string().uuid(),
    deviceId: z.string(),
    at: z.string().datetime({ offset: true }),
  }),
  z.object({
    kind: z.literal('seat-deregistered'),
    seatId: z.string().uuid(),
    deviceId: z.string(),
    at: z.string().datetime({ offset: true }),
  }),
]);
export type SessionPayload = z.infer<typeof sessionPayloadSchema>;

export const sessionEventSchema = envelopeSchema('licensing.session', sessionPayloadSchema);
export type SessionEvent = z.infer<typeof sessionEventSchema>;

/**
 * Every access token of `userId` issued before `notBefore` is refused from now on (their refresh
 * tokens were revoked in the same transaction): the user was disabled, or their password was reset.
 * `refresh-token-reused` names a session instead (`sessionId`, the refresh-token family carried in
 * the access token's `sid` claim): every access token of that session is refused, the user's other
 * sessions carry on. `sessionId` is optional so that the older messages stay valid.
 */
export const accessRevocationPayloadSchema = z
  .object({
    reason: z.enum(['user-disabled', 'password-reset', 'refresh-token-reused']),
    userId: z.string().uuid(),
    sessionId: z.string().uuid().optional(),
    notBefore: z.string().datetime({ offset: true }),
  })
  .refine((p) => (p.reason === 'refresh-token-reused') === (p.sessionId !== undefined), {
    message: 'sessionId is given exactly for refresh-token-reused',
    path: ['sessionId'],
  });
export type AccessRevocationPayload = z.infer<typeof accessRevocationPayloadSchema>;

export const accessRevocationSchema = envelopeSchema('licensing.access-revoked', accessRevocationPayloadSchema);

/** This service's topics and their schemas; `topics` in topics.ts merges every service's. */
export const licensingTopics = {
  [SESSIONS_TOPIC]: sessionEventSchema,
  [ACCESS_REVOCATIONS_TOPIC]: accessRevocationSchema,
} as const;
