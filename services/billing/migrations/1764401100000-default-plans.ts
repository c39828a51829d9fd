import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The plan catalogue is product data, not demo data (docs/product-rules.md, "Pricing"): a
 * production database gets the Cloud and Integration plans, version 1, from its migrations, since
 * the seed scripts refuse to run there. Frozen here as they were published; later changes are new
 * plan versions made by sales. Idempotent: a database the demo seed already filled keeps its rows.
 */
export class DefaultPlans1764401100000 implements MigrationInterface {
  name = 'DefaultPlans1764401100000';

  async up(q: QueryRunner): Promise<void> {
    const prices = JSON.stringify({
      CUSTOMER: 30,
      MULTIPLE_MATCHES: 30,
      UNKNOWN: 30,
      WITHHELD: 30,
      EMPLOYEE: 15,
      NUISANCE: 0,
    });
    const plans = [
      { code: 'CLOUD', name: 'クラウドプラン (サーバー込)', initial: 0, maintenance: 10_000, software: 1_050 },
      { code: 'INTEGRATION', name: '既存DB連携プラン', initial: 50_000, maintenance: 5_000, software: 0 },
    ];
    for (const p of plans) {
      await q.query('INSERT INTO plans (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING', [p.code, p.name]);
      await q.query(
        `INSERT INTO plan_versions (plan_id, version, effective_from, initial_fee_yen, maintenance_yen,
           software_fee_per_pc_yen, popup_prices, connection_price_yen, pack_size, pack_billing_months,
           minimum_term_months, list_input_per_popup_yen, list_input_per_record_yen)
         SELECT id, 1, '2026-01-01', $2, $3, $4, $5, 990, 5, 12, 12, 5, 40 FROM plans WHERE code = $1
         ON CONFLICT (plan_id, version) DO NOTHING`,
        [p.code, p.initial, p.maintenance, p.software, prices],
      );
    }
  }

  async down(): Promise<void> {
    // Plans may have contracts by now; the catalogue is not taken back.
  }
}
