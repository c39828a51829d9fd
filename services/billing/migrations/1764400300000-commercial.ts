import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Plans with versions, contracts with connection packs, and each tenant's business calendar. */
export class Commercial1764400300000 implements MigrationInterface {
  name = 'Commercial1764400300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE plan_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plans(id),
        version int NOT NULL,
        effective_from date NOT NULL,
        initial_fee_yen bigint NOT NULL CHECK (initial_fee_yen >= 0),
        maintenance_yen bigint NOT NULL CHECK (maintenance_yen >= 0),
        software_fee_per_pc_yen bigint NOT NULL CHECK (software_fee_per_pc_yen >= 0),
        popup_prices jsonb NOT NULL,
        connection_price_yen bigint NOT NULL CHECK (connection_price_yen >= 0),
        pack_size int NOT NULL CHECK (pack_size > 0),
        pack_billing_months int NOT NULL CHECK (pack_billing_months > 0),
        minimum_term_months int NOT NULL CHECK (minimum_term_months >= 0),
        list_input_per_popup_yen bigint NOT NULL CHECK (list_input_per_popup_yen >= 0),
        list_input_per_record_yen bigint NOT NULL CHECK (list_input_per_record_yen >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (plan_id, version),
        UNIQUE (plan_id, effective_from)
      )`);
    await q.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        recipient_name text NOT NULL,
        plan_version_id uuid NOT NULL REFERENCES plan_versions(id),
        service_start_date date NOT NULL,
        list_input text NOT NULL CHECK (list_input IN ('none', 'per-popup', 'per-record')),
        status text NOT NULL CHECK (status IN ('active', 'terminated')),
        end_month text CHECK (end_month ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        termination_fee_yen bigint,
        event_version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX contracts_one_active ON contracts (tenant_id) WHERE status = 'active'`);
    await q.query(`
      CREATE TABLE connection_packs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        contract_id uuid NOT NULL REFERENCES contracts(id),
        purchased_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX connection_packs_contract ON connection_packs (tenant_id, contract_id)');
    await q.query(`
      CREATE TABLE business_calendars (
        tenant_id uuid PRIMARY KEY,
        timezone text NOT NULL,
        hours jsonb NOT NULL,
        national_holidays boolean NOT NULL,
        closures text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE business_calendars');
    await q.query('DROP TABLE connection_packs');
    await q.query('DROP TABLE contracts');
    await q.query('DROP TABLE plan_versions');
    await q.query('DROP TABLE plans');
  }
}
