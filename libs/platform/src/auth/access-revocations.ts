import { randomUUID } from 'node:crypto';
import {
  ACCESS_REVOCATIONS_TOPIC,
  type AccessRevocationPayload,
  accessRevocationSchema,
  type Localized,
} from '@thankstar/contracts';
import { DomainError } from '../errors/domain-error';
import { subscribeInBackground } from '../inbox/keep-subscribed';
import { consumerGroup } from '../kafka/kafkajs-bus';
import type { IncomingMessage, MessageBus, Subscription } from '../kafka/message-bus';
import type { Principal } from './principal';
import type { TokenVerifier } from './token-verifier';

const revokedMessages: Record<AccessRevocationPayload['reason'], Localized> = {
  'user-disabled': {
    ja: 'このユーザーは無効にされたため、アクセストークンは使えなくなりました。',
    en: 'This user has been disabled; the access token is no longer accepted.',
  },
  'password-reset': {
    ja: 'このユーザーのパスワードが再設定されました。もう一度サインインしてください。',
    en: 'The password of this user was reset; sign in again.',
  },
  'refresh-token-reused': {
    ja: 'このセッションは別の場所で使われたため、安全のため終了しました。もう一度サインインしてください。',
    en: 'This session was used somewhere else and has been ended for your safety; sign in again.',
  },
};

export const tokenRevoked = (reason: AccessRevocationPayload['reason']) =>
  new DomainError('TOKEN_REVOKED', { reason: revokedMessages[reason] }, { reason });

/**
 * Whether a reader that started at the beginning of a log has read everything that was in it
 * when it started: the end offset of each partition is taken once, and each handled message
 * moves its partition forward. Pure, so its rule is tested on its own.
 */
export class CatchUp {
  private targets: Map<number, bigint> | undefined;
  private readonly next = new Map<number, bigint>();

  /** The log's ends measured after the reader joined: `start` is where it begins reading. */
  setTargets(partitions: readonly { partition: number; start: bigint; end: bigint }[]): void {
    if (this.targets) return;
    // A partition with nothing in it (or all of it past retention) has nothing to wait for.
    this.targets = new Map(partitions.filter((p) => p.end > p.start).map((p) => [p.partition, p.end]));
  }

  /** A message at `offset` of `partition` was handled (or skipped as bad: it was read all the same). */
  advance(partition: number, offset: bigint): void {
    const known = this.next.get(partition) ?? 0n;
    if (offset + 1n > known) this.next.set(partition, offset + 1n);
  }

  done(): boolean {
    if (!this.targets) return false;
    for (const [partition, end] of this.targets) {
      if ((this.next.get(partition) ?? 0n) < end) return false;
    }
    return true;
  }
}

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
 * process would accept such tokens, so it reports not-ready (`caughtUp()`, read by `/health`)
 * until it has read the topic up to the ends it measured after joining.
 *
 * A user is revoked from an instant (disabled, password reset); a session (refresh-token family,
 * the token's `sid`) is revoked as a whole when one of its spent refresh tokens is presented
 * again: that session can mint no more tokens, so every token carrying its id is refused.
 */
export class AccessRevocationList {
  /** userId -> newest revocation (notBefore in whole seconds, as a token's `iat`). */
  private readonly revoked = new Map<string, { notBefore: number; reason: AccessRevocationPayload['reason'] }>();
  /** Sessions (refresh-token families) ended for reuse; nothing of theirs is valid any more. */
  private readonly revokedSessions = new Set<string>();
  private readonly listeners = new Set<(revocation: AccessRevocationPayload) => void>();
  private subscription: Subscription | undefined;
  private catchUp = new CatchUp();
  private stopped = false;

  /** True once the first read has reached the ends the topic had when this process joined. */
  caughtUp(): boolean {
    return this.catchUp.done();
  }

  /** Applies one revocation (a later one for the same user replaces an earlier one). */
  apply(revocation: AccessRevocationPayload): void {
    if (revocation.reason === 'refresh-token-reused') {
      if (!revocation.sessionId || this.revokedSessions.has(revocation.sessionId)) return;
      this.revokedSessions.add(revocation.sessionId);
      for (const listener of this.listeners) listener(revocation);
      return;
    }
    const notBefore = Math.floor(Date.parse(revocation.notBefore) / 1000);
    const known = this.revoked.get(revocation.userId);
    if (known && known.notBefore >= notBefore) return;
    this.revoked.set(revocation.userId, { notBefore, reason: revocation.reason });
    for (const listener of this.listeners) listener(revocation);
  }

  /** The revocation that voids this principal's token, if any. */
  revocationOf(principal: Principal): AccessRevocationPayload['reason'] | undefined {
    if (principal.sessionId && this.revokedSessions.has(principal.sessionId)) return 'refresh-token-reused';
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
    this.stopped = false;
    this.subscription = subscribeInBackground(
      async () => {
        const groupId = `${consumerGroup(name)}.revocations.${randomUUID()}`;
        const subscription = await bus.subscribe({
          groupId,
          topics: [ACCESS_REVOCATIONS_TOPIC],
          fromBeginning: true,
          commitOffsets: false,
          handle: async (message) => {
            this.onMessage(message, warn);
            this.catchUp.advance(message.partition, BigInt(message.offset));
          },
        });
        // Measured after joining, so that everything published before this process could serve
        // a request is inside the ends it waits for.
        if (!this.catchUp.done()) void this.measureEnds(bus, groupId, warn);
        return subscription;
      },
      { name: 'access revocations', warn },
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  private async measureEnds(bus: MessageBus, groupId: string, warn: (message: string) => void): Promise<void> {
    while (!this.stopped) {
      try {
        const partitions = await bus.progress(groupId, ACCESS_REVOCATIONS_TOPIC, new Date());
        // The group never commits, so `consumed` is the log's start: where this reader begins.
        this.catchUp.setTargets(partitions.map((p) => ({ partition: p.partition, start: p.consumed, end: p.end })));
        return;
      } catch (err) {
        warn(`access revocations: cannot measure the topic's end yet: ${err instanceof Error ? err.message : err}`);
        await new Promise((r) => setTimeout(r, 1_000).unref());
      }
    }
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
