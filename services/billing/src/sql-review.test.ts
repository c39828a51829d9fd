import { sqlReviewFile } from '@thankstar/platform/testing';
import { describe, expect, it } from 'vitest';
import { calendarSql } from './calendar/calendar.repository';
import { contractsSql } from './contracts/contracts.repository';
import { invoiceSettingsSql } from './invoicing/invoice-settings.repository';
import { invoicesSql } from './invoicing/invoices.repository';
import { monthLocksSql } from './invoicing/month-locks.repository';
import { keyedRecordsSql } from './keyed-records/keyed-records.repository';
import { plansSql } from './plans/plans.repository';
import { ratingSql } from './rating/rating.repository';
import { overviewSql } from './usage/overview.repository';

// Every repository's statements as a reviewable .sql file under services/billing/sql/: a change to
// a query shows up in review as a diff of that file (regenerate with `npx vitest run -u`).
describe('SQL review files', () => {
  const files: [string, string, Record<string, string>][] = [
    ['PlansRepository', 'plans', plansSql],
    ['CalendarRepository', 'calendar', calendarSql],
    ['ContractsRepository', 'contracts', contractsSql],
    ['RatingRepository', 'rating', ratingSql],
    ['KeyedRecordsRepository', 'keyed-records', keyedRecordsSql],
    ['InvoicesRepository', 'invoices', invoicesSql],
    ['MonthLocksRepository', 'month-locks', monthLocksSql],
    ['InvoiceSettingsRepository', 'invoice-settings', invoiceSettingsSql],
    ['OverviewRepository', 'overview', overviewSql],
  ];
  for (const [repository, feature, statements] of files) {
    it(`${repository} matches sql/${feature}.repository.sql`, async () => {
      await expect(sqlReviewFile(repository, statements)).toMatchFileSnapshot(`../sql/${feature}.repository.sql`);
    });
  }
});
