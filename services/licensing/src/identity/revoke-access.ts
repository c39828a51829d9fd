import { ACCESS_REVOCATIONS_TOPIC, type AccessRevocationPayload } from '@thankstar/contracts';
import { enqueueEvent } from '@thankstar/platform';
import type { EntityManager } from 'typeorm';

/**
 * Voids access tokens everywhere (see AccessRevocationList and decision 0006), through the
 * outbox in the caller's transaction: a committed revocation is always published, an aborted one
 * never. Without `sessionId`, every token of the user issued until now; with it, every token of
 * that session (refresh-token family) only.
 */
export async function revokeAccess(
  m: EntityManager,
  tenantId: string,
  userId: string,
  reason: AccessRevocationPayload['reason'],
  sessionId?: string,
): Promise<void> {
  const at = new Date();
  await enqueueEvent(m, {
    topic: ACCESS_REVOCATIONS_TOPIC,
    key: userId,
    tenantId,
    occurredAt: at,
    payload: { reason, userId, notBefore: at.toISOString(), ...(sessionId ? { sessionId } : {}) },
  });
}
