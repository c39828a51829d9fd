import { Injectable } from '@nestjs/common';
import { DomainError } from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { type LoginLimit, loginLimitFromEnv, loginLocked } from './login-limit';

/** Same words whether or not the account exists, so the lockout does not reveal accounts. */
const loginLockedError = (limit: LoginLimit) =>
  new DomainError(
    'LOGIN_LOCKED',
    `Too many sign-in attempts. Wait ${Math.ceil(limit.windowSeconds / 60)} minutes and try again, or reset your password.`,
    429,
  );

/**
 * Sliding-window limit on failed sign-in attempts, kept in Postgres rather than in memory so that all
 * replicas share one count and a restart does not reset it. An attempt claims its slot before
 * the password is checked (under a lock per account), so parallel guesses cannot slip past the limit.
 */
@Injectable()
export class LoginThrottle {
  constructor(private readonly dataSource: DataSource) {}

  async claim(email: string, address: string): Promise<string> {
    const account = `account:${email}`;
    const from = `address:${address}`;
    const limit = loginLimitFromEnv();
    const claimed = await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`licensing.login:${account}`]);
      // Rows outside the window are useless: dropping them here keeps the table small.
      await m.query(
        'DELETE FROM login_attempts WHERE key IN ($1, $2) AND at <= clock_timestamp() - make_interval(secs => $3)',
        [account, from, limit.windowSeconds],
      );
      const [row] = await m.query(
        `SELECT count(*) FILTER (WHERE key = $1)::int AS account, count(*) FILTER (WHERE key = $2)::int AS address
         FROM login_attempts WHERE key IN ($1, $2) AND at > clock_timestamp() - make_interval(secs => $3)`,
        [account, from, limit.windowSeconds],
      );
      if (loginLocked(row, limit)) return null;
      const rows: { id: string; key: string }[] = await m.query(
        'INSERT INTO login_attempts (key) VALUES ($1), ($2) RETURNING id, key',
        [account, from],
      );
      return (rows.find((r) => r.key === from) as { id: string }).id;
    });
    if (claimed === null) throw loginLockedError(limit);
    return claimed;
  }

  /**
   * A successful sign-in forgives the account's failures and does not count against the address,
   * so an office behind one address is limited by its failures only. `claimed` is from `claim`.
   */
  async succeeded(email: string, claimed: string): Promise<void> {
    await this.dataSource.query('DELETE FROM login_attempts WHERE key = $1 OR id = $2', [`account:${email}`, claimed]);
  }
}
