import {
  MessagingTables1764400000000,
  OutboxParked1764400000001,
  type ServiceDataSourceOptions,
} from '@thankstar/platform';
import { Calls1764400200000 } from '../migrations/1764400200000-calls';
import { TwilioSip1764400300000 } from '../migrations/1764400300000-twilio-sip';
import { TwilioVerified1764400310000 } from '../migrations/1764400310000-twilio-verified';
import { CallEntity } from './calls/call.entity';
import { LineEntity } from './lines/line.entity';

export const database: ServiceDataSourceOptions = {
  service: 'telephony',
  // Webhook keys, Twilio and SIP accounts are read with SQL in their services: they need no entity.
  entities: [CallEntity, LineEntity],
  migrations: [
    MessagingTables1764400000000,
    OutboxParked1764400000001,
    Calls1764400200000,
    TwilioSip1764400300000,
    TwilioVerified1764400310000,
  ],
};
