import type { BillingConfig } from '../config';
import type { TaxRounding } from './tax';

/** The provider as 適格請求書発行事業者: from the configuration, checked at startup. */
export interface Issuer {
  name: string;
  /** T + 13 digits (登録番号). */
  registrationNumber: string;
  taxRounding: TaxRounding;
  taxRatePercent: number;
}

export const ISSUER = Symbol('ISSUER');

export function issuerFrom(
  config: Pick<BillingConfig, 'BILLING_ISSUER_NAME' | 'BILLING_ISSUER_REGISTRATION_NUMBER' | 'BILLING_TAX_ROUNDING'>,
): Issuer {
  const issuer: Issuer = {
    name: config.BILLING_ISSUER_NAME,
    registrationNumber: config.BILLING_ISSUER_REGISTRATION_NUMBER,
    taxRounding: config.BILLING_TAX_ROUNDING,
    taxRatePercent: 10,
  };
  if (!/^T\d{13}$/.test(issuer.registrationNumber)) {
    throw new Error(
      `BILLING_ISSUER_REGISTRATION_NUMBER must be T followed by 13 digits, not "${issuer.registrationNumber}"`,
    );
  }
  return issuer;
}
