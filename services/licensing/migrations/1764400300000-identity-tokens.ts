import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityTokens1764400300000 implements MigrationInterface {
  name = 'IdentityTokens1764400300000';

  async up(q: QueryRunner): Promise<void> {
    // The provider's own staff (back office, sales, platform admins) belong to a provider tenant.
    await q.query('ALTER TABLE tenants ADD COLUMN is_provider boolean NOT NULL DEFAULT false');
    // Only SHA-256 hashes of tokens are stored: they are 256-bit random, so a slow hash adds nothing.
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id uuid NOT NULL,
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        user_id uuid NOT NULL REFERENCES users(id),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query('CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)');
    await q.query('CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)');
    await q.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        email text NOT NULL CHECK (email = lower(email)),
        name text NOT NULL,
        roles text[] NOT NULL,
        token_hash text NOT NULL UNIQUE,
        invited_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz
      )`);
    await q.query('CREATE INDEX invitations_tenant ON invitations (tenant_id)');
    await q.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        user_id uuid NOT NULL REFERENCES users(id),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    // Sign-in attempts per account and per address, for the sliding-window limit (shared by replicas).
    await q.query(`
      CREATE TABLE login_attempts (
        id bigserial PRIMARY KEY,
        key text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX login_attempts_key_at ON login_attempts (key, at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE login_attempts');
    await q.query('DROP TABLE password_resets');
    await q.query('DROP TABLE invitations');
    await q.query('DROP TABLE refresh_tokens');
    await q.query('ALTER TABLE tenants DROP COLUMN is_provider');
  }
}
