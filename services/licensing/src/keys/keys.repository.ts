import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A signing key as stored (`signing_keys`); the private JWK is sealed (key-encryption.ts). */
export interface SigningKey {
  kid: string;
  publicJwk: Record<string, unknown>;
  privateJwkEncrypted: string;
  createdAt: Date;
  retiredAt: Date | null;
}

const COLUMNS = `kid, public_jwk AS "publicJwk", private_jwk_encrypted AS "privateJwkEncrypted",
       created_at AS "createdAt", retired_at AS "retiredAt"`;

const sql = {
  /** Newest first: the signing key, then retired keys whose tokens may still be valid. */
  active: `
    SELECT ${COLUMNS}
    FROM signing_keys
    WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1)
    ORDER BY created_at DESC`,
  retireAll: `UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL`,
  insert: `
    INSERT INTO signing_keys (kid, public_jwk, private_jwk_encrypted, retired_at)
    VALUES ($1, $2::jsonb, $3, NULL)
    RETURNING ${COLUMNS}`,
};

/** The statements for review (sql/*.repository.sql, written by test/sql-review.test.ts). */
export const keysSql: Record<string, string> = sql;

/** The platform's ES256 signing keys (not per tenant: one key set signs every tenant's tokens). */
@Injectable()
export class KeysRepository {
  /** Keys unretired or retired less than `ttlSeconds` ago (one access-token lifetime), newest first. */
  async active(m: EntityManager, ttlSeconds: number): Promise<SigningKey[]> {
    return m.query(sql.active, [ttlSeconds]);
  }

  /** Retires every current key and stores the new one; call in a transaction. */
  async replaceSigningKey(
    m: EntityManager,
    key: { kid: string; publicJwk: Record<string, unknown>; privateJwkEncrypted: string },
  ): Promise<SigningKey> {
    await m.query(sql.retireAll, [new Date()]);
    const [stored]: SigningKey[] = await m.query(sql.insert, [
      key.kid,
      JSON.stringify(key.publicJwk),
      key.privateJwkEncrypted,
    ]);
    if (!stored) throw new Error('signing key not stored');
    return stored;
  }
}
