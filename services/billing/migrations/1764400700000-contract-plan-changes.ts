import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A contract moved to a newer version of its plan from the first day of a month. The contract
 * keeps the version it was signed on; the version in force on a date is the latest change
 * effective on or before it, else that one.
 */
export class ContractPlanChanges1764400700000 implements MigrationInterface {
  name = 'ContractPlanChanges1764400700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contract_plan_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        contract_id uuid NOT NULL REFERENCES contracts(id),
        plan_version_id uuid NOT NULL REFERENCES plan_versions(id),
        effective_from date NOT NULL CHECK (extract(day FROM effective_from) = 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (contract_id, effective_from)
      )`);
    await q.query('CREATE INDEX contract_plan_changes_by_tenant ON contract_plan_changes (tenant_id, contract_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE contract_plan_changes');
  }
}
