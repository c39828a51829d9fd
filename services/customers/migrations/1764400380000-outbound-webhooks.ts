import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks (docs/integrations.md "Outbound webhooks"): a tenant's endpoints (the secret
 * sealed with the service's SecretSealer), one delivery row per endpoint and event (written in the
 * transaction that learns of the event), and one attempt row per try (the delivery log).
 */
export class OutboundWebhooks1764400380000 implements MigrationInterface {
  name = 'OutboundWebhooks1764400380000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        url text NOT NULL,
        description text NOT NULL DEFAULT '',
        event_types text[] NOT NULL,
        secret_sealed text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text CHECK (disabled_reason IN ('ADMIN', 'FAILING')),
        disabled_at timestamptz,
        failed_in_a_row integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at)');
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        tenant_id uuid NOT NULL,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        order_key text,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        first_attempt_at timestamptz,
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        response_status integer,
        latency_ms integer,
        response_excerpt text,
        last_error text,
        replay_of uuid REFERENCES webhook_deliveries (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One delivery per endpoint and event (a replay is a new row that names the one it repeats).
    await q.query(
      'CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (endpoint_id, event_id) WHERE replay_of IS NULL',
    );
    await q.query(
      "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq) WHERE status = 'PENDING'",
    );
    await q.query(
      "CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, order_key, seq) WHERE status = 'PENDING'",
    );
    await q.query('CREATE INDEX webhook_deliveries_log ON webhook_deliveries (tenant_id, endpoint_id, seq DESC)');
    await q.query(`
      CREATE TABLE webhook_attempts (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        at timestamptz NOT NULL,
        response_status integer,
        latency_ms integer NOT NULL,
        response_excerpt text,
        error text
      )`);
    await q.query('CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_attempts');
    await q.query('DROP TABLE webhook_deliveries');
    await q.query('DROP TABLE webhook_endpoints');
  }
}
