import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

const sql = {
  lock: 'SELECT pg_advisory_xact_lock(hashtext($1))',
  prune: `
    DELETE FROM login_attempts
    WHERE (key IN ($1, $2) AND at <= clock_timestamp() - make_interval(secs => $4))
       OR (key = $3 AND at <= clock_timestamp() - make_interval(secs => $5))`,
  counts: `
    SELECT count(*) FILTER (WHERE key = $3)::int AS pair,
           (extract(epoch FROM max(at) FILTER (WHERE key = $3)) * 1000)::float8 AS "pairLast",
           count(*) FILTER (WHERE key = $2)::int AS address,
           count(*) FILTER (WHERE key = $1)::int AS account,
           (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now
    FROM login_attempts WHERE key IN ($1, $2, $3)`,
  nthNewest: `
    SELECT (extract(epoch FROM at) * 1000)::float8 AS at FROM login_attempts WHERE key = $1
    ORDER BY at DESC OFFSET $2 LIMIT 1`,
  claim: 'INSERT INTO login_attempts (key) VALUES ($1), ($2), ($3) RETURNING id',
  stamp: 'UPDATE login_attempts SET at = clock_timestamp() WHERE id = ANY($1::bigint[])',
  forgive: 'DELETE FROM login_attempts WHERE key = $1 OR id = ANY($2::bigint[])',
};

/** The statements for review (sql/*.repository.sql, written by test/sql-review.test.ts). */
export const loginAttemptsSql: Record<string, string> = sql;

/** The keys of one attempt: the account, the address, and the pair of both. */
export interface AttemptKeys {
  account: string;
  address: string;
  pair: string;
}

/**
 * Failed sign-ins (`login_attempts`), keyed by account, address and pair rather than by tenant:
 * the throttle runs before anyone knows who is signing in. Times in epoch milliseconds.
 */
@Injectable()
export class LoginAttemptsRepository {
  /** A transaction-level advisory lock on `name`. */
  async lock(m: EntityManager, name: string): Promise<void> {
    await m.query(sql.lock, [name]);
  }

  /** Drops the attempts nobody will count again (older than the window; a pair's after its memory). */
  async prune(m: EntityManager, keys: AttemptKeys, windowSeconds: number, pairMemorySeconds: number): Promise<void> {
    await m.query(sql.prune, [keys.account, keys.address, keys.pair, windowSeconds, pairMemorySeconds]);
  }

  /** How many attempts each key has, the pair's newest, and the database's clock. */
  async counts(
    m: EntityManager,
    keys: AttemptKeys,
  ): Promise<{ pair: number; pairLast: number | null; address: number; account: number; now: number }> {
    const [row] = await m.query(sql.counts, [keys.account, keys.address, keys.pair]);
    return row;
  }

  /** The time of the key's `offset`+1-th newest attempt, if it has that many. */
  async nthNewest(m: EntityManager, key: string, offset: number): Promise<number | undefined> {
    const [row]: { at: number }[] = await m.query(sql.nthNewest, [key, offset]);
    return row?.at;
  }

  /** One attempt row for each key; returns their ids. */
  async claim(m: EntityManager, keys: AttemptKeys): Promise<string[]> {
    const rows: { id: string }[] = await m.query(sql.claim, [keys.pair, keys.account, keys.address]);
    return rows.map((r) => r.id);
  }

  /** Dates the attempts as of now (a failure counts from when it was known). */
  async stamp(m: EntityManager, ids: readonly string[]): Promise<void> {
    await m.query(sql.stamp, [ids]);
  }

  /** Deletes the pair's attempts and the given ones. */
  async forgive(m: EntityManager, pairKey: string, ids: readonly string[]): Promise<void> {
    await m.query(sql.forgive, [pairKey, ids]);
  }
}
