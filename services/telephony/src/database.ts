import {
  AuditLog1764400000002,
  MessagingTables1764400000000,
  OutboxParked1764400000001,
  type ServiceDataSourceOptions,
} from '@thankstar/platform';
import { Calls1764400200000 } from '../migrations/1764400200000-calls';
import { TwilioSip1764400300000 } from '../migrations/1764400300000-twilio-sip';
import { TwilioVerified1764400310000 } from '../migrations/1764400310000-twilio-verified';

export const database: ServiceDataSourceOptions = {
  service: 'telephony',
  // No TypeORM entities: each feature's repository holds its SQL (reviewed in sql/*.repository.sql).
  entities: [],
  migrations: [
    MessagingTables1764400000000,
    OutboxParked1764400000001,
    AuditLog1764400000002,
    Calls1764400200000,
    TwilioSip1764400300000,
    TwilioVerified1764400310000,
  ],
};
