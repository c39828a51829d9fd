import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TwilioSip1764400300000 implements MigrationInterface {
  name = 'TwilioSip1764400300000';

  async up(q: QueryRunner): Promise<void> {
    // Twilio signs with the account's auth token, so it is stored sealed, like webhook secrets.
    await q.query(`
      CREATE TABLE twilio_accounts (
        tenant_id uuid PRIMARY KEY,
        account_sid text NOT NULL UNIQUE,
        auth_token_encrypted text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The extension telephony registers as on the tenant's PBX; the password is sealed.
    await q.query(`
      CREATE TABLE sip_accounts (
        tenant_id uuid PRIMARY KEY,
        registrar text NOT NULL,
        username text NOT NULL,
        password_encrypted text NOT NULL,
        transport text NOT NULL CHECK (transport IN ('udp', 'tcp')),
        enabled boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sip_accounts');
    await q.query('DROP TABLE twilio_accounts');
  }
}
