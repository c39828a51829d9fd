import { randomUUID } from 'node:crypto';
import { ACCESS_REVOCATIONS_TOPIC, type AccessRevocationPayload, accessRevocationSchema } from '@thankstar/contracts';
import { DomainError } from '../errors/domain-error';
import { subscribeInBackground } from '../inbox/keep-subscribed';
import { consumerGroup } from '../kafka/kafkajs-bus';
import type { IncomingMessage, MessageBus, Subscription } from '../kafka/message-bus';
import type { Principal } from './principal';
import type { TokenVerifier } from './token-verifier';

export const tokenRevoked = (reason: AccessRevocationPayload['reason']) =>
  new DomainError(
    'TOKEN_REVOKED',
    reason === 'user-disabled'
      ? 'This user has been disabled; the access token is no longer accepted.'
      : 'The password of this user was reset; sign in again.',
    401,
    { reason },
  );

/**
 * The access tokens that stop working before they expire. Access tokens are checked by signature
 * alone (no call to licensing per request), so disabling a user or resetting a password would
 * otherwise leave their tokens valid for up to their lifetime (15 minutes). Licensing publishes
 * each revocation on `licensing.access-revocations.v1`; every process (each service instance and
 * the gateway) reads the whole topic into memory and refuses a token of a revoked user issued
 * before the revocation, within moments of it.
 *
 * Each process reads with a group of its own that commits nothing, from the beginning: the topic
 * holds one small message per revocation, and a process that starts later still learns of the
 * revocations of the last token lifetime. Until the first read has caught up, a just-started
 * process accepts such tokens (at most a few seconds after its start).
 */
export class AccessRevocationList {
  /** userId -> newest revocation (notBefore in whole seconds, as a token's `iat`). */
  private readonly revoked = new Map<string, { notBefore: number; reason: AccessRevocationPayload['reason'] }>();
  private readonly listeners = new Set<(revocation: AccessRevocationPayload) => void>();
  private subscription: Subscription | undefined;

  /** Applies one revocation (a later one for the same user replaces an earlier one). */
  apply(revocation: AccessRevocationPayload): void {
    const notBefore = Math.floor(Date.parse(revocation.notBefore) / 1000);
    const known = this.revoked.get(revocation.userId);
    if (known && known.notBefore >= notBefore) return;
    this.revoked.set(revocation.userId, { notBefore, reason: revocation.reason });
    for (const listener of this.listeners) listener(revocation);
  }

  /** The revocation that voids this principal's token, if any. */
  revocationOf(principal: Principal): AccessRevocationPayload['reason'] | undefined {
    const known = this.revoked.get(principal.userId);
    if (!known) return undefined;
    // A token without `iat` is as old as can be. `iat` has whole seconds: a disabled user's
    // tokens of the revocation's own second go too (that user cannot sign in again), while after
    // a password reset they stay, so the user can sign in again at once.
    const issuedAt = principal.issuedAt ?? 0;
    const voided = known.reason === 'user-disabled' ? issuedAt <= known.notBefore : issuedAt < known.notBefore;
    return voided ? known.reason : undefined;
  }

  /** Throws TOKEN_REVOKED (401) when the principal's token was revoked. */
  check(principal: Principal): Principal {
    const reason = this.revocationOf(principal);
    if (reason) throw tokenRevoked(reason);
    return principal;
  }

  /** Called for every new revocation (the gateway closes the user's sockets). */
  onRevoked(listener: (revocation: AccessRevocationPayload) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts reading in the background; retries while the broker is down. `name` names the
   * process's group (`<prefix>.<name>.revocations.<random>`).
   */
  start(bus: MessageBus, name: string, warn: (message: string) => void = () => undefined): void {
    this.subscription = subscribeInBackground(
      () =>
        bus.subscribe({
          groupId: `${consumerGroup(name)}.revocations.${randomUUID()}`,
          topics: [ACCESS_REVOCATIONS_TOPIC],
          fromBeginning: true,
          commitOffsets: false,
          handle: async (message) => this.onMessage(message, warn),
        }),
      { name: 'access revocations', warn },
    );
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  private onMessage(message: IncomingMessage, warn: (message: string) => void): void {
    // Every process reads the topic with a group of its own, so a bad message is only logged here
    // (a dead letter per process would repeat it); licensing validates before publishing.
    let parsed: ReturnType<typeof accessRevocationSchema.safeParse>;
    try {
      parsed = accessRevocationSchema.safeParse(JSON.parse(message.value?.toString('utf8') ?? ''));
    } catch {
      warn(`access revocation at offset ${message.offset} is not JSON; skipped`);
      return;
    }
    if (!parsed.success) {
      warn(`access revocation at offset ${message.offset} does not match its schema; skipped`);
      return;
    }
    this.apply(parsed.data.payload);
  }
}

/** A verifier that also refuses revoked tokens: signature and expiry first, then the revocation list. */
export function withRevocations(verifier: TokenVerifier, revocations: AccessRevocationList): TokenVerifier {
  return {
    verify: async (token) => revocations.check(await verifier.verify(token)),
  };
}
