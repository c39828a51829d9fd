import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A popup is stored once, as it was when the call rang; what happens during the call lives on the
 * call's interaction and is joined in when the popup is read (docs/architecture.md, "One direction
 * for a call"). Besides handlers, notes and outcome (already there), the call's interaction keeps
 * when the call was last transferred and the profile as corrected during the call. Popups stored
 * before this migration keep the values they were patched with; they are read the same way.
 */
export class InteractionCallFacts1764400330000 implements MigrationInterface {
  name = 'InteractionCallFacts1764400330000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE interactions ADD COLUMN transferred_at timestamptz, ADD COLUMN popup_customer jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE interactions DROP COLUMN transferred_at, DROP COLUMN popup_customer');
  }
}
