import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PaymentSettings, PaymentTerms } from './payment-terms';

/** The provider's one row of invoice settings (no tenant: the provider's own terms and account). */
export const invoiceSettingsSql: Record<string, string> = {
  settings: `
    SELECT payment_terms AS "paymentTerms", payment_term_days AS "paymentTermDays", bank_account AS "bankAccount",
           updated_at AS "updatedAt"
      FROM invoice_settings WHERE id = 1`,
  saveSettings: `
    INSERT INTO invoice_settings (id, payment_terms, payment_term_days, bank_account, updated_at, updated_by)
    VALUES (1, $1, $2, $3, now(), $4)
    ON CONFLICT (id) DO UPDATE SET payment_terms = EXCLUDED.payment_terms,
           payment_term_days = EXCLUDED.payment_term_days, bank_account = EXCLUDED.bank_account,
           updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
    RETURNING payment_terms AS "paymentTerms", payment_term_days AS "paymentTermDays",
              bank_account AS "bankAccount", updated_at AS "updatedAt"`,
};

export interface StoredInvoiceSettings extends PaymentSettings {
  updatedAt: Date;
}

const sql = (name: string) => invoiceSettingsSql[name] as string;

@Injectable()
export class InvoiceSettingsRepository {
  /** The saved settings, or undefined while back office has saved none (the configuration's apply). */
  async settings(m: EntityManager): Promise<StoredInvoiceSettings | undefined> {
    const [row]: StoredInvoiceSettings[] = await m.query(sql('settings'));
    return row;
  }

  async save(m: EntityManager, s: PaymentSettings, updatedBy: string | null): Promise<StoredInvoiceSettings> {
    const [row]: StoredInvoiceSettings[] = await m.query(sql('saveSettings'), [
      s.paymentTerms satisfies PaymentTerms,
      s.paymentTermDays,
      s.bankAccount,
      updatedBy,
    ]);
    if (!row) throw new Error('invoice settings not stored');
    return row;
  }
}
