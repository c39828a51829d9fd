import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InvitationCancel1764400800000 implements MigrationInterface {
  name = 'InvitationCancel1764400800000';

  async up(q: QueryRunner): Promise<void> {
    // Cancelled by an admin, or replaced by a newer invitation of the same address in the tenant.
    await q.query('ALTER TABLE invitations ADD COLUMN cancelled_at timestamptz');
    // Open invitations no longer reserve an address across tenants; this finds a tenant's own.
    await q.query(
      'CREATE INDEX invitations_tenant_email_open ON invitations (tenant_id, email) WHERE accepted_at IS NULL AND cancelled_at IS NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX invitations_tenant_email_open');
    await q.query('ALTER TABLE invitations DROP COLUMN cancelled_at');
  }
}
