import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { INTERACTIONS_TOPIC, interactionChangeSchema } from '@thankstar/contracts';
import {
  consumeInBackground,
  consumerGroup,
  MESSAGE_BUS,
  type MessageBus,
  type Subscription,
} from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { LookupRepository } from './lookup.repository';
import { LookupService } from './lookup.service';

/**
 * Write-back (issue 19, connectors): when a call's interaction is completed (an outcome is set,
 * customers.interactions.v1 `updated`), its notes and outcome are written to every record the
 * call's popup showed, once per call and record (lookup_writebacks). Notes saved without an
 * outcome are not written back, so a source does not get one comment per save. A write that fails
 * is recorded on the source for the admin and tried again on the call's next change.
 */
@Injectable()
export class WritebackConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WritebackConsumer.name);
  private subscription: Subscription | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: LookupRepository,
    private readonly lookup: LookupService,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = consumeInBackground<ReturnType<typeof interactionChangeSchema.parse>>({
      bus: this.bus,
      groupId: consumerGroup('customers.lookup-writeback'),
      topic: INTERACTIONS_TOPIC,
      schema: interactionChangeSchema,
      fromBeginning: false,
      logger: this.logger,
      handle: async (event) => {
        const change = event.payload;
        if (change.kind !== 'updated' || !change.callId || !change.outcome) return;
        const cards = await this.repo.callCards(this.dataSource.manager, event.tenantId, change.callId);
        if (cards.length === 0) return;
        await this.lookup.writeBack(event.tenantId, change.callId, cards, {
          callId: change.callId,
          notes: change.notes,
          outcome: change.outcome,
          at: change.at,
          by: change.by.name,
        });
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
