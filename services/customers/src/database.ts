import {
  AuditLog1764400000002,
  MessagingTables1764400000000,
  OutboxParked1764400000001,
  type ServiceDataSourceOptions,
} from '@thankstar/platform';
import { Crm1764400300000 } from '../migrations/1764400300000-crm';
import { ImportJobs1764400310000 } from '../migrations/1764400310000-import-jobs';
import { ImportJobHeartbeat1764400320000 } from '../migrations/1764400320000-import-job-heartbeat';
import { InteractionCallFacts1764400330000 } from '../migrations/1764400330000-interaction-call-facts';
import { PhoneDigitsSearch1764400340000 } from '../migrations/1764400340000-phone-digits-search';
import { LookupSources1764400360000 } from '../migrations/1764400360000-lookup-sources';
import { OutboundWebhooks1764400380000 } from '../migrations/1764400380000-outbound-webhooks';

/**
 * No TypeORM entities: each feature's repository holds its SQL, so the lookup on the popup's hot
 * path and the search queries read as plain SQL in review.
 */
export const database: ServiceDataSourceOptions = {
  service: 'customers',
  entities: [],
  migrations: [
    MessagingTables1764400000000,
    OutboxParked1764400000001,
    AuditLog1764400000002,
    Crm1764400300000,
    ImportJobs1764400310000,
    ImportJobHeartbeat1764400320000,
    InteractionCallFacts1764400330000,
    LookupSources1764400360000,
    PhoneDigitsSearch1764400340000,
    OutboundWebhooks1764400380000,
  ],
};
