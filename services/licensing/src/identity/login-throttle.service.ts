import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { CONFIG, type Config } from '../config';
import { LoginAttemptsRepository } from './login-attempts.repository';
import { type LoginHistory, type LoginLimit, loginLimitOf, loginWaitSeconds, throttleWait } from './login-limit';

/** Same words whether or not the account exists, so the throttle does not reveal accounts. */
const loginThrottled = (retryAfterSeconds: number) =>
  new DomainError('LOGIN_THROTTLED', { wait: throttleWait(retryAfterSeconds) }, { retryAfterSeconds });

/** The rows one attempt claimed, to forgive or to stamp once the password has been checked. */
export interface LoginClaim {
  pairKey: string;
  ids: string[];
}

/**
 * Failed sign-ins, kept in Postgres rather than in memory so that all replicas share one count
 * and a restart does not reset it; the rules are in login-limit.ts. An attempt claims its rows
 * (pair, account, address) before the password is checked, under locks on the account and the
 * address, so parallel guesses cannot slip past the limits.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly dataSource: DataSource,
    private readonly attempts: LoginAttemptsRepository,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Read at every attempt from the app's configuration (checked at start by config.ts). */
  private get limit(): LoginLimit {
    return loginLimitOf(this.config);
  }

  async claim(email: string, address: string): Promise<LoginClaim> {
    const keys = { account: `account:${email}`, address: `address:${address}`, pair: `pair:${address}|${email}` };
    const limit = this.limit;
    const outcome = await this.dataSource.transaction(async (m): Promise<{ wait: number } | { claim: LoginClaim }> => {
      // Always in the same order, so two attempts never wait for each other's second lock.
      for (const lock of [`licensing.login:${keys.account}`, `licensing.login:${keys.address}`].sort()) {
        await this.attempts.lock(m, lock);
      }
      // Rows nobody will count again are dropped here, which keeps the table small.
      await this.attempts.prune(m, keys, limit.windowSeconds, limit.pairMemorySeconds);
      const row = await this.attempts.counts(m, keys);
      const history: LoginHistory = {
        pairFailures: row.pair,
        pairLastFailureAt: row.pairLast ?? undefined,
        addressFailures: row.address,
        accountFailures: row.account,
      };
      if (history.addressFailures >= limit.perAddress) {
        history.addressCapFailureAt = await this.attempts.nthNewest(m, keys.address, limit.perAddress - 1);
      }
      const wait = loginWaitSeconds(history, limit, row.now);
      if (wait > 0) return { wait };
      return { claim: { pairKey: keys.pair, ids: await this.attempts.claim(m, keys) } };
    });
    if ('wait' in outcome) throw loginThrottled(outcome.wait);
    return outcome.claim;
  }

  /** The delays count from when the failure was known, not from when the attempt started. */
  async failed(claim: LoginClaim): Promise<void> {
    await this.attempts.stamp(this.dataSource.manager, claim.ids);
  }

  /**
   * A successful sign-in forgives this address's failures for the account and does not count
   * itself, so an office behind one address is limited by its failures only. The account's
   * failures from other addresses stay: they are someone else's guesses.
   */
  async succeeded(claim: LoginClaim): Promise<void> {
    await this.attempts.forgive(this.dataSource.manager, claim.pairKey, claim.ids);
  }
}
