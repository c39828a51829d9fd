import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A Twilio account is bound to a tenant only once a request signed with the token that tenant
 * entered has verified (verified_at). Until then a claim is pending, and any number of tenants
 * may have one, so naming an AccountSid first no longer takes it from its owner.
 */
export class TwilioVerified1764400310000 implements MigrationInterface {
  name = 'TwilioVerified1764400310000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE twilio_accounts ADD COLUMN verified_at timestamptz');
    // Existing rows were bound by being first, not by proof: they start pending, and the owner's
    // next signed request from Twilio binds them again (there is one claim per account today).
    await q.query('ALTER TABLE twilio_accounts DROP CONSTRAINT twilio_accounts_account_sid_key');
    await q.query('CREATE INDEX twilio_accounts_sid ON twilio_accounts (account_sid)');
    await q.query(
      'CREATE UNIQUE INDEX twilio_accounts_verified_sid ON twilio_accounts (account_sid) WHERE verified_at IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX twilio_accounts_verified_sid');
    await q.query('DROP INDEX twilio_accounts_sid');
    await q.query(`DELETE FROM twilio_accounts a WHERE verified_at IS NULL AND EXISTS (
      SELECT 1 FROM twilio_accounts o WHERE o.account_sid = a.account_sid AND o.tenant_id <> a.tenant_id)`);
    await q.query('ALTER TABLE twilio_accounts ADD CONSTRAINT twilio_accounts_account_sid_key UNIQUE (account_sid)');
    await q.query('ALTER TABLE twilio_accounts DROP COLUMN verified_at');
  }
}
