import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Desktop leases: a running desktop client holds a lease too, so its presence reaches billing
 * (docs/product-rules.md#nobody-in: a running desktop counts as someone in). It is tied to its PC's seat, never takes a
 * concurrent-connection slot (its expiry lives on the lease row, not in `lease_slots`), and a
 * seat has at most one live desktop lease (the newer connection replaces the older).
 */
export class DesktopLeases1764400700000 implements MigrationInterface {
  name = 'DesktopLeases1764400700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE leases DROP CONSTRAINT leases_device_kind_check');
    await q.query(
      `ALTER TABLE leases ADD CONSTRAINT leases_device_kind_check CHECK (device_kind IN ('web', 'mobile', 'desktop'))`,
    );
    await q.query('ALTER TABLE leases ADD COLUMN seat_id uuid REFERENCES seats(id)');
    await q.query(
      `ALTER TABLE leases ADD CONSTRAINT leases_desktop_has_seat CHECK ((device_kind = 'desktop') = (seat_id IS NOT NULL))`,
    );
    await q.query(
      'CREATE UNIQUE INDEX leases_one_desktop_per_seat ON leases (seat_id) WHERE ended_at IS NULL AND seat_id IS NOT NULL',
    );
    // The sweeper's scan for desktop clients that stopped heartbeating.
    await q.query(
      'CREATE INDEX leases_desktop_expiry ON leases (expires_at) WHERE ended_at IS NULL AND seat_id IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM leases WHERE device_kind = 'desktop'`);
    await q.query('DROP INDEX leases_desktop_expiry');
    await q.query('DROP INDEX leases_one_desktop_per_seat');
    await q.query('ALTER TABLE leases DROP CONSTRAINT leases_desktop_has_seat');
    await q.query('ALTER TABLE leases DROP COLUMN seat_id');
    await q.query('ALTER TABLE leases DROP CONSTRAINT leases_device_kind_check');
    await q.query(
      `ALTER TABLE leases ADD CONSTRAINT leases_device_kind_check CHECK (device_kind IN ('web', 'mobile'))`,
    );
  }
}
