import {
  AuditLog1764400000002,
  MessagingTables1764400000000,
  OutboxParked1764400000001,
  type ServiceDataSourceOptions,
} from '@thankstar/platform';
import { Identity1764400100000 } from '../migrations/1764400100000-identity';
import { Leases1764400200000 } from '../migrations/1764400200000-leases';
import { IdentityTokens1764400300000 } from '../migrations/1764400300000-identity-tokens';
import { Seats1764400400000 } from '../migrations/1764400400000-seats';
import { LeaseSlots1764400500000 } from '../migrations/1764400500000-lease-slots';
import { LeaseIndexes1764400600000 } from '../migrations/1764400600000-lease-indexes';
import { DesktopLeases1764400700000 } from '../migrations/1764400700000-desktop-leases';
import { InvitationCancel1764400800000 } from '../migrations/1764400800000-invitation-cancel';
import { DesktopPairing1764400900000 } from '../migrations/1764400900000-desktop-pairing';

export const database: ServiceDataSourceOptions = {
  service: 'licensing',
  // No TypeORM entities: every query is written out in a repository (*.repository.ts).
  entities: [],
  migrations: [
    MessagingTables1764400000000,
    OutboxParked1764400000001,
    AuditLog1764400000002,
    Identity1764400100000,
    Leases1764400200000,
    IdentityTokens1764400300000,
    Seats1764400400000,
    LeaseSlots1764400500000,
    LeaseIndexes1764400600000,
    DesktopLeases1764400700000,
    InvitationCancel1764400800000,
    DesktopPairing1764400900000,
  ],
};
