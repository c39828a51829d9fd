import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Desktop pairing (docs/product-rules.md#concurrent-connections): a PC is registered by pairing,
 * not by a typed device id. `desktop_pairings` holds a pairing request (the code and the client's
 * polling secret, both as SHA-256 only) for 10 minutes; approval binds it to a seat, and the seat
 * keeps the hash of the device credential the client proves itself with (never the credential).
 * A revoked seat ends its desktop lease with the new end reason `revoked`.
 */
export class DesktopPairing1764400900000 implements MigrationInterface {
  name = 'DesktopPairing1764400900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE desktop_pairings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        user_id uuid NOT NULL REFERENCES users(id),
        code_hash text NOT NULL,
        secret_hash text NOT NULL,
        pc_name text NOT NULL CHECK (length(pc_name) BETWEEN 1 AND 100),
        requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz NOT NULL,
        approved_at timestamptz,
        approved_by uuid,
        seat_id uuid REFERENCES seats(id),
        delivered_at timestamptz,
        CHECK ((approved_at IS NULL) = (seat_id IS NULL))
      )`);
    await q.query('CREATE INDEX desktop_pairings_code ON desktop_pairings (tenant_id, code_hash)');
    await q.query('CREATE INDEX desktop_pairings_user_recent ON desktop_pairings (tenant_id, user_id, requested_at)');
    await q.query('ALTER TABLE seats ADD COLUMN credential_hash text');
    await q.query('ALTER TABLE seats ADD COLUMN credential_used_at timestamptz');
    await q.query('CREATE UNIQUE INDEX seats_credential ON seats (credential_hash) WHERE credential_hash IS NOT NULL');
    await q.query('ALTER TABLE leases DROP CONSTRAINT leases_end_reason_check');
    await q.query(
      `ALTER TABLE leases ADD CONSTRAINT leases_end_reason_check CHECK (end_reason IN ('closed', 'expired', 'ended-by-admin', 'revoked'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE leases SET end_reason = 'ended-by-admin' WHERE end_reason = 'revoked'`);
    await q.query('ALTER TABLE leases DROP CONSTRAINT leases_end_reason_check');
    await q.query(
      `ALTER TABLE leases ADD CONSTRAINT leases_end_reason_check CHECK (end_reason IN ('closed', 'expired', 'ended-by-admin'))`,
    );
    await q.query('DROP INDEX seats_credential');
    await q.query('ALTER TABLE seats DROP COLUMN credential_used_at');
    await q.query('ALTER TABLE seats DROP COLUMN credential_hash');
    await q.query('DROP TABLE desktop_pairings');
  }
}
