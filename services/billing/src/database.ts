import {
  AuditLog1764400000002,
  MessagingTables1764400000000,
  OutboxParked1764400000001,
  type ServiceDataSourceOptions,
} from '@thankstar/platform';
import { Commercial1764400300000 } from '../migrations/1764400300000-commercial';
import { Rating1764400400000 } from '../migrations/1764400400000-rating';
import { Invoicing1764400500000 } from '../migrations/1764400500000-invoicing';
import { RatedCallInputs1764400600000 } from '../migrations/1764400600000-rated-call-inputs';
import { ContractPlanChanges1764400700000 } from '../migrations/1764400700000-contract-plan-changes';
import { KeyedImports1764400800000 } from '../migrations/1764400800000-keyed-imports';
import { BilledMonth1764400900000 } from '../migrations/1764400900000-billed-month';
import { UsageWatermark1764401000000 } from '../migrations/1764401000000-usage-watermark';
import { DefaultPlans1764401100000 } from '../migrations/1764401100000-default-plans';
import { InvoiceSettings1764401200000 } from '../migrations/1764401200000-invoice-settings';
import { BusinessCalendarEntity } from './calendar/business-calendar.entity';
import { ConnectionPackEntity, ContractEntity } from './contracts/contract.entity';
import { InvoiceEntity } from './invoicing/invoice.entity';
import { PlanEntity, PlanVersionEntity } from './plans/plan.entity';

export const database: ServiceDataSourceOptions = {
  service: 'billing',
  entities: [
    PlanEntity,
    PlanVersionEntity,
    ContractEntity,
    ConnectionPackEntity,
    BusinessCalendarEntity,
    InvoiceEntity,
  ],
  migrations: [
    MessagingTables1764400000000,
    OutboxParked1764400000001,
    AuditLog1764400000002,
    Commercial1764400300000,
    Rating1764400400000,
    Invoicing1764400500000,
    RatedCallInputs1764400600000,
    ContractPlanChanges1764400700000,
    KeyedImports1764400800000,
    BilledMonth1764400900000,
    UsageWatermark1764401000000,
    DefaultPlans1764401100000,
    InvoiceSettings1764401200000,
  ],
};
