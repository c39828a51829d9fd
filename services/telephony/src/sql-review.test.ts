import { sqlReviewFile } from '@thankstar/platform/testing';
import { describe, expect, it } from 'vitest';
import { callEventsSql } from './calls/call-events.repository';
import { callsSql } from './calls/calls.repository';
import { webhookKeysSql } from './keys/webhook-keys.repository';
import { linesSql } from './lines/lines.repository';
import { sipSql } from './sip/sip.repository';
import { twilioSql } from './twilio/twilio.repository';

/*
 * Every statement telephony sends, one file per repository under sql/ (issue 16: what a
 * newcomer cannot guess is where a query goes). A changed query shows up in review as a diff
 * of its .sql file; run this test with -u after changing a repository. It sits in src/ so the
 * unit project runs it (no database needed).
 */
describe('SQL review files', () => {
  it.each([
    ['CallsRepository', callsSql, 'calls'],
    ['CallEventsRepository', callEventsSql, 'call-events'],
    ['LinesRepository', linesSql, 'lines'],
    ['WebhookKeysRepository', webhookKeysSql, 'webhook-keys'],
    ['TwilioRepository', twilioSql, 'twilio'],
    ['SipRepository', sipSql, 'sip'],
  ] as const)('%s', async (repository, statements, feature) => {
    await expect(sqlReviewFile(repository, statements)).toMatchFileSnapshot(`../sql/${feature}.repository.sql`);
  });
});
