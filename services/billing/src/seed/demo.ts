import { CONTRACTS_TOPIC } from '@thankstar/contracts';
import { enqueueEvent } from '@thankstar/platform';
import { demo } from '@thankstar/platform/testing';
import type { EntityManager } from 'typeorm';
import { defaultCalendar } from '../calendar/business-calendar';
import { cloudPlan, integrationPlan } from '../plans/default-plans';

/** The plans of docs/product-rules.md#plans, effective from this date; the demo contract starts on it. */
const plansEffectiveFrom = '2026-01-01';

/**
 * Billing's part of the demo: the Cloud and Integration plans, a Cloud-plan contract for the
 * demo tenant and its calendar (Mon–Fri 9:00–18:00, national holidays closed). Idempotent.
 */
export async function seedDemo(manager: EntityManager): Promise<void> {
  for (const plan of [cloudPlan, integrationPlan]) {
    await manager.query('INSERT INTO plans (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING', [
      plan.code,
      plan.name,
    ]);
    const t = plan.terms;
    await manager.query(
      `INSERT INTO plan_versions (plan_id, version, effective_from, initial_fee_yen, maintenance_yen,
         software_fee_per_pc_yen, popup_prices, connection_price_yen, pack_size, pack_billing_months,
         minimum_term_months, list_input_per_popup_yen, list_input_per_record_yen)
       SELECT id, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM plans WHERE code = $1
       ON CONFLICT (plan_id, version) DO NOTHING`,
      [
        plan.code,
        plansEffectiveFrom,
        t.initialFeeYen,
        t.maintenanceYen,
        t.softwareFeePerPcYen,
        JSON.stringify(t.popupPrices),
        t.connectionPriceYen,
        t.packSize,
        t.packBillingMonths,
        t.minimumTermMonths,
        t.listInputPerPopupYen,
        t.listInputPerRecordYen,
      ],
    );
  }
  const created: { id: string }[] = await manager.query(
    `INSERT INTO contracts (tenant_id, recipient_name, plan_version_id, service_start_date, list_input, status, event_version)
     SELECT $1, $2, v.id, $3, 'none', 'active', 1
       FROM plan_versions v JOIN plans p ON p.id = v.plan_id
      WHERE p.code = $4 AND v.version = 1
        AND NOT EXISTS (SELECT 1 FROM contracts WHERE tenant_id = $1)
     RETURNING id`,
    [demo.tenantId, demo.tenantName, plansEffectiveFrom, cloudPlan.code],
  );
  // Licensing sizes the demo tenant's connections from this event, like any contract change.
  for (const { id } of created) {
    await enqueueEvent(manager, {
      topic: CONTRACTS_TOPIC,
      key: demo.tenantId,
      tenantId: demo.tenantId,
      payload: {
        contractId: id,
        version: 1,
        status: 'active',
        connectionPacks: 0,
        planCode: cloudPlan.code,
        at: new Date().toISOString(),
      },
    });
  }
  await manager.query(
    `INSERT INTO business_calendars (tenant_id, timezone, hours, national_holidays, closures)
     VALUES ($1, $2, $3, true, '{}') ON CONFLICT (tenant_id) DO NOTHING`,
    [demo.tenantId, defaultCalendar.timezone, JSON.stringify(defaultCalendar.hours)],
  );
}
