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
import { LeasesRepository } from './leases.repository';

/** Keeps each tenant's connection packs as billing's newest contract version says. */
@Injectable()
export class ContractsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ContractsConsumer.name);
  private subscription: Subscription | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: LeasesRepository,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: licensing serves logins and leases while the broker is unreachable. The
    // platform keeps it subscribed: a failed start or a crash (broker restart) is retried.
    this.subscription = consumeInBackground<ContractChangedEvent>({
      bus: this.bus,
      groupId: consumerGroup('licensing.contracts'),
      topic: CONTRACTS_TOPIC,
      schema: contractChangedSchema,
      fromBeginning: true,
      logger: this.logger,
      handle: idempotent(this.dataSource, 'licensing.contracts', async (event, m) => {
        const { contractId, version, status, connectionPacks } = event.payload;
        // A terminated contract keeps only the included connection.
        const packs = status === 'active' ? connectionPacks : 0;
        await this.repo.savePacks(m, event.tenantId, { contractId, version, packs });
      }),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
