import type { TaxRounding } from './tax';

/** The provider as 適格請求書発行事業者: from the environment, checked at startup. */
export interface Issuer {
  name: string;
  /** T + 13 digits (登録番号). */
  registrationNumber: string;
  taxRounding: TaxRounding;
  taxRatePercent: number;
}

export const ISSUER = Symbol('ISSUER');

export function issuerFromEnv(env: NodeJS.ProcessEnv = process.env): Issuer {
  const issuer: Issuer = {
    name: env.BILLING_ISSUER_NAME ?? 'サンクスター株式会社',
    registrationNumber: env.BILLING_ISSUER_REGISTRATION_NUMBER ?? 'T1234567890123',
    taxRounding: (env.BILLING_TAX_ROUNDING ?? 'down') as TaxRounding,
    taxRatePercent: 10,
  };
  if (!/^T\d{13}$/.test(issuer.registrationNumber)) {
    throw new Error(
      `BILLING_ISSUER_REGISTRATION_NUMBER must be T followed by 13 digits, not "${issuer.registrationNumber}"`,
    );
  }
  if (issuer.taxRounding !== 'down' && issuer.taxRounding !== 'half-up') {
    throw new Error(`BILLING_TAX_ROUNDING must be "down" or "half-up", not "${issuer.taxRounding}"`);
  }
  return issuer;
}
