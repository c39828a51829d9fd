import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Calls1764400200000 implements MigrationInterface {
  name = 'Calls1764400200000';

  async up(q: QueryRunner): Promise<void> {
    // A key id is public (it travels in a header); its secrets are sealed with TELEPHONY_SECRET_KEY.
    await q.query(`
      CREATE TABLE webhook_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        key_id text NOT NULL UNIQUE,
        label text,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query('CREATE INDEX webhook_keys_tenant ON webhook_keys (tenant_id)');
    // Rotation keeps the previous secret valid until expires_at, so two secrets can be active.
    await q.query(`
      CREATE TABLE webhook_key_secrets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_id uuid NOT NULL REFERENCES webhook_keys(id) ON DELETE CASCADE,
        secret_encrypted text NOT NULL,
        secret_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz
      )`);
    await q.query('CREATE INDEX webhook_key_secrets_key ON webhook_key_secrets (key_id)');
    await q.query(`
      CREATE TABLE lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        number_raw text NOT NULL,
        number_e164 text NOT NULL,
        label text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, number_e164)
      )`);
    await q.query(`
      CREATE TABLE calls (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        call_id text NOT NULL,
        source text NOT NULL,
        status text NOT NULL,
        from_number jsonb NOT NULL,
        to_number jsonb NOT NULL,
        line_id uuid REFERENCES lines(id) ON DELETE SET NULL,
        extension text,
        operator_id text,
        ringing_at timestamptz NOT NULL,
        answered_at timestamptz,
        ended_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, call_id)
      )`);
    await q.query('CREATE INDEX calls_tenant_ringing ON calls (tenant_id, ringing_at DESC)');
    await q.query(`CREATE INDEX calls_tenant_missed ON calls (tenant_id, ringing_at DESC) WHERE status = 'missed'`);
    // dedup_key is the event kind, except a transfer, which can happen more than once per call.
    await q.query(`
      CREATE TABLE call_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        call_id uuid NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        event text NOT NULL,
        dedup_key text NOT NULL,
        source text NOT NULL,
        from_number jsonb NOT NULL,
        to_number jsonb NOT NULL,
        extension text,
        operator_id text,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (call_id, dedup_key)
      )`);
    await q.query(`
      CREATE TABLE missed_call_views (
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        call_id uuid NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, user_id, call_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE missed_call_views');
    await q.query('DROP TABLE call_events');
    await q.query('DROP TABLE calls');
    await q.query('DROP TABLE lines');
    await q.query('DROP TABLE webhook_key_secrets');
    await q.query('DROP TABLE webhook_keys');
  }
}
