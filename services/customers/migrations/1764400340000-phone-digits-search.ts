import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partial-number search (「1111」 finds 090-1111-2222): a trigram index on a number's digits as
 * written in Japan (the trunk 0 and the national significant digits), so a search by part of a
 * number is an index scan even in a tenant with a million customers, never a scan of every number.
 * pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
 */
export class PhoneDigitsSearch1764400340000 implements MigrationInterface {
  name = 'PhoneDigitsSearch1764400340000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await q.query(
      "CREATE INDEX customer_phones_digits_trgm ON customer_phones USING gin (('0' || national_digits) gin_trgm_ops)",
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX customer_phones_digits_trgm');
  }
}
