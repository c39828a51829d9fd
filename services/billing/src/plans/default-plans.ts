import type { PlanTerms } from '../invoicing/invoice';
import { defaultPopupPrices } from '../rating/rate';

/** The two plans of docs/product-rules.md#plans, as seeded. Prices exclude consumption tax (税別). */
const common = {
  popupPrices: defaultPopupPrices,
  connectionPriceYen: 990,
  packSize: 5,
  packBillingMonths: 12,
  minimumTermMonths: 12,
  listInputPerPopupYen: 5,
  listInputPerRecordYen: 40,
} as const;

export const cloudPlan: { code: string; name: string; terms: PlanTerms } = {
  code: 'CLOUD',
  name: 'クラウドプラン (サーバー込)',
  terms: { ...common, initialFeeYen: 0, maintenanceYen: 10_000, softwareFeePerPcYen: 1_050 },
};

export const integrationPlan: { code: string; name: string; terms: PlanTerms } = {
  code: 'INTEGRATION',
  name: '既存DB連携プラン',
  terms: { ...common, initialFeeYen: 50_000, maintenanceYen: 5_000, softwareFeePerPcYen: 0 },
};
