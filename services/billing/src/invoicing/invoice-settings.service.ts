import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { badInput } from '@thankstar/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { type BillingConfig, CONFIG } from '../config';
import { InvoiceSettingsRepository } from './invoice-settings.repository';
import { type PaymentSettings, settingsProblem } from './payment-terms';

export interface InvoiceSettings extends PaymentSettings {
  /** Null while the configuration's defaults apply (nothing saved yet). */
  updatedAt: Date | null;
}

const problems = {
  terms: { ja: '支払条件は「翌月末」か「発行日から日数」を選んでください。', en: 'Choose the payment terms.' },
  days: {
    ja: '支払期限の日数は1〜365日の整数で指定してください。',
    en: 'Payment days are a whole number from 1 to 365.',
  },
  bankAccount: {
    ja: '振込先を1〜500文字で入力してください（銀行名・支店名・口座種別・口座番号・口座名義）。',
    en: 'Enter the bank account (1 to 500 characters).',
  },
} as const;

/**
 * 支払期限 and 振込先 printed on the provider's invoices: back office and platform admins edit them
 * in the admin UI; until then the configuration's BILLING_PAYMENT_TERMS, BILLING_PAYMENT_TERM_DAYS
 * and BILLING_BANK_ACCOUNT apply. Each invoice keeps the settings it was issued with.
 */
@Injectable()
export class InvoiceSettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CONFIG) private readonly config: BillingConfig,
    private readonly repository: InvoiceSettingsRepository,
  ) {}

  async current(m: EntityManager = this.db.manager): Promise<InvoiceSettings> {
    const saved = await this.repository.settings(m);
    if (saved) return saved;
    return {
      paymentTerms: this.config.BILLING_PAYMENT_TERMS,
      paymentTermDays: this.config.BILLING_PAYMENT_TERM_DAYS,
      bankAccount: this.config.BILLING_BANK_ACCOUNT,
      updatedAt: null,
    };
  }

  async update(input: PaymentSettings, updatedBy: string | null): Promise<InvoiceSettings> {
    const settings = { ...input, bankAccount: input.bankAccount.trim() };
    const problem = settingsProblem(settings);
    if (problem) throw badInput(problems[problem]);
    return this.repository.save(this.db.manager, settings, updatedBy);
  }
}
