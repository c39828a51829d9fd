import { Global, Module } from '@nestjs/common';
import { env, loadConfig } from '@thankstar/platform';

/**
 * Every environment variable billing's own code reads (the platform's are libs/platform's), with
 * its default; `loadConfig` checks them all when the app module is created. The README's
 * "Configuration" table is `configTable(configShape)` (src/config.test.ts keeps them equal).
 */
export const configShape = {
  PORT: env.port(4003, 'HTTP port of the subgraph'),
  BILLING_ISSUER_NAME: env.string('サンクスター株式会社', '適格請求書 issuer (発行者) printed on every invoice'),
  BILLING_ISSUER_REGISTRATION_NUMBER: env.string(
    'T1234567890123',
    '登録番号 of the issuer: T + 13 digits, checked at startup (the default is a placeholder)',
  ),
  BILLING_BANK_ACCOUNT: env.string(
    '（設定してください）銀行 支店 普通 0000000 サンクスター（カ',
    '振込先 printed on invoices until back office saves its own in the admin UI (請求書の設定)',
  ),
  BILLING_PAYMENT_TERMS: env.oneOf(
    ['end-of-next-month', 'days-after-issue'],
    'end-of-next-month',
    '支払期限 until back office saves its own: 翌月末, or BILLING_PAYMENT_TERM_DAYS after 発行日 (Japan time)',
  ),
  BILLING_PAYMENT_TERM_DAYS: env.int(30, 'days after 発行日 for days-after-issue payment terms', { min: 1, max: 365 }),
  BILLING_TAX_ROUNDING: env.oneOf(
    ['down', 'half-up'],
    'down',
    'consumption tax rounding, once per invoice per rate (docs/product-rules.md)',
  ),
  BILLING_PDF_FONT: env.optionalString(
    'a Japanese .ttf/.otf for invoice PDFs instead of the IPAex Gothic shipped in assets/fonts/',
  ),
  BILLING_SCHEDULER: env.boolean(true, '`off` disables the in-process monthly close (tests)'),
  BILLING_CLOSE_INTERVAL_MS: env.int(60_000, 'monthly close scheduler tick', { min: 1 }),
  BILLING_CLOSE_GRACE_MS: env.int(
    120_000,
    'the close of month M waits for rating to pass the end of M + this (popups reach the topic a little after their ring)',
  ),
  BILLING_RATING_BATCH: env.int(2_000, 'most popups rated per transaction', { min: 1 }),
  BILLING_RATING_FETCH_BYTES: env.int(3_145_728, 'bytes fetched per partition and request (bounds a batch)', {
    min: 1,
  }),
  BILLING_RATING_CONCURRENCY: env.int(2, 'popup batches rated at once (one writes while the next is fetched)', {
    min: 1,
  }),
};

export type BillingConfig = ReturnType<typeof loadBillingConfig>;

export function loadBillingConfig(source: Record<string, string | undefined> = process.env) {
  return loadConfig('billing', configShape, source);
}

/** Billing's configuration, loaded when the module is created (tests set variables before that). */
export const CONFIG = Symbol('BILLING_CONFIG');

@Global()
@Module({
  providers: [{ provide: CONFIG, useFactory: () => loadBillingConfig() }],
  exports: [CONFIG],
})
export class ConfigModule {}
