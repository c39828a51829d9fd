import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox rows the broker refused for good (a 1.16 MB popup: MESSAGE_TOO_LARGE), set aside so the
 * rest of the outbox flows on, and the later rows of the same key held behind them so one call's
 * events never overtake each other. `id` is the row's outbox id: a replay puts it back under that
 * id, in front of anything written since. Part of the messaging tables: each service lists it
 * right after MessagingTables.
 */
export class OutboxParked1764400000001 implements MigrationInterface {
  name = 'OutboxParked1764400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_parked (
        id bigint PRIMARY KEY,
        topic text NOT NULL,
        key text NOT NULL,
        value text NOT NULL,
        created_at timestamptz NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        behind bigint
      )`);
    await q.query('CREATE INDEX outbox_parked_key ON outbox_parked (key, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE outbox_parked');
  }
}
