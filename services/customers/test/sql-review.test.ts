import { sqlReviewFile } from '@thankstar/platform/testing';
import { describe, expect, it } from 'vitest';
import { importSql } from '../src/csv/import.repository';
import { customFieldsSql } from '../src/custom-fields/custom-fields.repository';
import { customersSql } from '../src/customers/customers.repository';
import { interactionsSql } from '../src/interactions/interactions.repository';
import { lookupSql } from '../src/lookup/lookup.repository';
import { numbersSql } from '../src/numbers/numbers.repository';
import { popupsSql } from '../src/popups/popups.repository';
import { webhooksSql } from '../src/webhooks/webhooks.repository';

/**
 * Every repository's statements as files under sql/, so a change to a query shows up in review as
 * a diff of a .sql file (`-u` rewrites them). Needs no database.
 */
describe('SQL review files', () => {
  const files: [string, Record<string, string>, string][] = [
    ['CustomersRepository', customersSql, 'customers'],
    ['CustomFieldsRepository', customFieldsSql, 'custom-fields'],
    ['InteractionsRepository', interactionsSql, 'interactions'],
    ['NumbersRepository', numbersSql, 'numbers'],
    ['PopupsRepository', popupsSql, 'popups'],
    ['ImportRepository', importSql, 'import'],
    ['LookupRepository', lookupSql, 'lookup'],
    ['WebhooksRepository', webhooksSql, 'webhooks'],
  ];
  it.each(files)('%s', async (repository, statements, feature) => {
    await expect(sqlReviewFile(repository, statements)).toMatchFileSnapshot(`../sql/${feature}.repository.sql`);
  });
});
