import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pipeline watermark a month's close used: every popup written to the popups topic before
 * this instant had been rated when the invoice was built (docs/product-rules.md, "Month close").
 * Null on invoices built before the close waited for the pipeline, and on credit notes.
 */
export class UsageWatermark1764401000000 implements MigrationInterface {
  name = 'UsageWatermark1764401000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invoices ADD COLUMN usage_watermark timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invoices DROP COLUMN usage_watermark');
  }
}
