import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The provider's invoice settings (支払条件 and 振込先, edited by back office and platform admins)
 * and, on each invoice, the settings it was issued with: an issued invoice never changes
 * (docs/product-rules.md, "Qualified invoice" and "Numbers and corrections"), so a later change of
 * bank account does not rewrite invoices already sent. The settings row is the provider's own, one
 * row, no tenant: no tenant reads or writes it.
 */
export class InvoiceSettings1764401200000 implements MigrationInterface {
  name = 'InvoiceSettings1764401200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invoice_settings (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        payment_terms text NOT NULL CHECK (payment_terms IN ('end-of-next-month', 'days-after-issue')),
        payment_term_days integer NOT NULL CHECK (payment_term_days BETWEEN 1 AND 365),
        bank_account text NOT NULL CHECK (length(bank_account) BETWEEN 1 AND 500),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid
      )`);
    await q.query(`
      ALTER TABLE invoices
        ADD COLUMN payment_terms text,
        ADD COLUMN payment_term_days integer,
        ADD COLUMN bank_account text`);
    // The back-office list filters every tenant's invoices by month and status.
    await q.query('CREATE INDEX invoices_month_status ON invoices (month, status)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX invoices_month_status');
    await q.query(
      'ALTER TABLE invoices DROP COLUMN payment_terms, DROP COLUMN payment_term_days, DROP COLUMN bank_account',
    );
    await q.query('DROP TABLE invoice_settings');
  }
}
