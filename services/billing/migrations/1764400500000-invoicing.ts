import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Invoices and credit notes, their gapless number counters, and list-input records keyed. */
export class Invoicing1764400500000 implements MigrationInterface {
  name = 'Invoicing1764400500000';

  async up(q: QueryRunner): Promise<void> {
    // A counter row per series, bumped in the issuing transaction: a rollback leaves no gap,
    // which a sequence would.
    await q.query(`
      CREATE TABLE invoice_counters (
        series text PRIMARY KEY,
        last_number bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`INSERT INTO invoice_counters (series) VALUES ('INV'), ('CN')`);
    await q.query(`
      CREATE TABLE invoices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('invoice', 'credit-note')),
        month text NOT NULL CHECK (month ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        contract_id uuid NOT NULL REFERENCES contracts(id),
        number text UNIQUE,
        status text NOT NULL CHECK (status IN ('draft', 'issued', 'paid', 'void')),
        issuer_name text NOT NULL,
        issuer_registration_number text NOT NULL CHECK (issuer_registration_number ~ '^T\\d{13}$'),
        recipient_name text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        lines jsonb NOT NULL,
        taxes jsonb NOT NULL,
        subtotal_yen bigint NOT NULL CHECK (subtotal_yen >= 0),
        tax_yen bigint NOT NULL CHECK (tax_yen >= 0),
        total_yen bigint NOT NULL CHECK (total_yen = subtotal_yen + tax_yen),
        credited_invoice_id uuid REFERENCES invoices(id),
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        issued_at timestamptz,
        paid_at timestamptz,
        voided_at timestamptz,
        -- Numbered on issue; a draft voided before issue never had one.
        CHECK (status <> 'draft' OR number IS NULL),
        CHECK (status IN ('draft', 'void') OR number IS NOT NULL),
        CHECK ((kind = 'credit-note') = (credited_invoice_id IS NOT NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX invoices_one_per_month ON invoices (tenant_id, month) WHERE kind = 'invoice' AND status <> 'void'`,
    );
    await q.query('CREATE INDEX invoices_by_tenant ON invoices (tenant_id, created_at)');
    await q.query(`
      CREATE TABLE keyed_records (
        tenant_id uuid NOT NULL,
        month text NOT NULL,
        records int NOT NULL CHECK (records >= 0),
        PRIMARY KEY (tenant_id, month)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE keyed_records');
    await q.query('DROP TABLE invoices');
    await q.query('DROP TABLE invoice_counters');
  }
}
