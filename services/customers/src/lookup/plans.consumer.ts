import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONTRACTS_TOPIC, type ContractChangedEvent, contractChangedSchema } from '@thankstar/contracts';
import {
  consumeInBackground,
  consumerGroup,
  idempotent,
  MESSAGE_BUS,
  type MessageBus,
  type Subscription,
} from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { LookupRepository } from './lookup.repository';

/**
 * Keeps each tenant's plan as billing's newest contract says (billing.contracts.v1, `planCode`,
 * `status`, `version`): lookup sources work only on an active Integration plan
 * (docs/product-rules.md §9). A flag a tenant could set itself would not do: the plan is billed.
 */
@Injectable()
export class PlansConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlansConsumer.name);
  private subscription: Subscription | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: LookupRepository,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = consumeInBackground<ContractChangedEvent>({
      bus: this.bus,
      groupId: consumerGroup('customers.plans'),
      topic: CONTRACTS_TOPIC,
      schema: contractChangedSchema,
      fromBeginning: true,
      logger: this.logger,
      handle: idempotent(this.dataSource, 'customers.plans', async (event, m) => {
        const { planCode, status, version } = event.payload;
        await this.repo.savePlan(m, event.tenantId, { planCode, status, version });
      }),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
