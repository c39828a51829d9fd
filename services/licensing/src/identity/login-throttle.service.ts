import { Injectable } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { type LoginHistory, loginLimitFromEnv, loginWaitSeconds, throttleWait } from './login-limit';

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
  constructor(private readonly dataSource: DataSource) {
    // Read once at start so that a typo in a LOGIN_* variable stops the service, not a sign-in.
    loginLimitFromEnv();
  }

  async claim(email: string, address: string): Promise<LoginClaim> {
    const account = `account:${email}`;
    const from = `address:${address}`;
    const pairKey = `pair:${address}|${email}`;
    const limit = loginLimitFromEnv();
    const outcome = await this.dataSource.transaction(async (m): Promise<{ wait: number } | { claim: LoginClaim }> => {
      // Always in the same order, so two attempts never wait for each other's second lock.
      for (const lock of [`licensing.login:${account}`, `licensing.login:${from}`].sort()) {
        await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
      }
      // Rows nobody will count again are dropped here, which keeps the table small.
      await m.query(
        `DELETE FROM login_attempts WHERE (key IN ($1, $2) AND at <= clock_timestamp() - make_interval(secs => $4))
           OR (key = $3 AND at <= clock_timestamp() - make_interval(secs => $5))`,
        [account, from, pairKey, limit.windowSeconds, limit.pairMemorySeconds],
      );
      const [row] = await m.query(
        `SELECT count(*) FILTER (WHERE key = $3)::int AS pair,
                (extract(epoch FROM max(at) FILTER (WHERE key = $3)) * 1000)::float8 AS "pairLast",
                count(*) FILTER (WHERE key = $2)::int AS address,
                count(*) FILTER (WHERE key = $1)::int AS account,
                (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now
         FROM login_attempts WHERE key IN ($1, $2, $3)`,
        [account, from, pairKey],
      );
      const history: LoginHistory = {
        pairFailures: row.pair,
        pairLastFailureAt: row.pairLast ?? undefined,
        addressFailures: row.address,
        accountFailures: row.account,
      };
      if (history.addressFailures >= limit.perAddress) {
        const [cap] = await m.query(
          `SELECT (extract(epoch FROM at) * 1000)::float8 AS at FROM login_attempts WHERE key = $1
           ORDER BY at DESC OFFSET $2 LIMIT 1`,
          [from, limit.perAddress - 1],
        );
        history.addressCapFailureAt = cap?.at;
      }
      const wait = loginWaitSeconds(history, limit, row.now);
      if (wait > 0) return { wait };
      const rows: { id: string }[] = await m.query(
        'INSERT INTO login_attempts (key) VALUES ($1), ($2), ($3) RETURNING id',
        [pairKey, account, from],
      );
      return { claim: { pairKey, ids: rows.map((r) => r.id) } };
    });
    if ('wait' in outcome) throw loginThrottled(outcome.wait);
    return outcome.claim;
  }

  /** The delays count from when the failure was known, not from when the attempt started. */
  async failed(claim: LoginClaim): Promise<void> {
    await this.dataSource.query('UPDATE login_attempts SET at = clock_timestamp() WHERE id = ANY($1::bigint[])', [
      claim.ids,
    ]);
  }

  /**
   * A successful sign-in forgives this address's failures for the account and does not count
   * itself, so an office behind one address is limited by its failures only. The account's
   * failures from other addresses stay: they are someone else's guesses.
   */
  async succeeded(claim: LoginClaim): Promise<void> {
    await this.dataSource.query('DELETE FROM login_attempts WHERE key = $1 OR id = ANY($2::bigint[])', [
      claim.pairKey,
      claim.ids,
    ]);
  }
}
