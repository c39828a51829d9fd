import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Envelope, Popup } from '@thankstar/contracts';
import { POPUPS_TOPIC, popupSchema, SESSIONS_TOPIC, sessionEventSchema } from '@thankstar/contracts';
import {
  type BatchEventConsumerOptions,
  consumerGroup,
  type EventConsumerOptions,
  idempotent,
  keepSubscribed,
  MESSAGE_BUS,
  type MessageBus,
  type Subscription,
  startBatchEventConsumer,
  startEventConsumer,
} from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { type BillingConfig, CONFIG } from '../config';
import { RatingService } from './rating.service';

/** Rating's consumer group on the popups topic (the month close reads its progress). */
export const RATING_GROUP = 'billing.rating';

/**
 * Rates `customers.popups.v1` and keeps presence and seats from `licensing.sessions.v1`.
 * Popups are rated a batch per transaction (exactly once on the unique (tenant, call) row, offsets
 * committed after the transaction); session events one by one, deduplicated on the event id.
 */
@Injectable()
export class RatingConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RatingConsumer.name);
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly rating: RatingService,
    @Inject(CONFIG) private readonly config: BillingConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Sessions first, so presence is as fresh as it can be when popups start to be rated.
    await this.start({
      groupId: consumerGroup('billing.presence'),
      topic: SESSIONS_TOPIC,
      schema: sessionEventSchema,
      handle: idempotent(this.dataSource, 'billing.presence', (e, m) => this.rating.recordSession(e, m)),
    });
    // Popups a batch at a time: one transaction per batch (dedup rows and rated calls), offsets
    // committed after it.
    await this.start({
      groupId: consumerGroup(RATING_GROUP),
      topic: POPUPS_TOPIC,
      schema: popupSchema,
      handleBatch: async (items) => {
        await this.ratePopupBatch(items.map((i) => i.event));
      },
      maxBatchSize: this.config.BILLING_RATING_BATCH,
      // About 1.5 KB per popup: room for a full batch in one fetch.
      maxBytesPerPartition: this.config.BILLING_RATING_FETCH_BYTES,
      // Two batch transactions at a time: one writes while the next is fetched and prepared.
      // More only contend for the same cores and index pages (6 at once was 2–4× slower here).
      partitionsConsumedConcurrently: this.config.BILLING_RATING_CONCURRENCY,
    });
  }

  /**
   * Exactly once without a dedup table: the rated row's unique (tenant, call) key is the dedup
   * key, so a replayed event, a duplicate delivery and a second popup of the same call all
   * insert nothing, and the batch's offsets are committed only after its transaction.
   */
  ratePopupBatch(events: Popup[]): Promise<number> {
    return this.dataSource.transaction((m) => this.rating.ratePopups(events, m));
  }

  /** The service stays up when the broker is not: it keeps trying to join in the background. */
  private async start<E extends Envelope>(
    options:
      | Pick<EventConsumerOptions<E>, 'groupId' | 'topic' | 'schema' | 'handle'>
      | Pick<
          BatchEventConsumerOptions<E>,
          | 'groupId'
          | 'topic'
          | 'schema'
          | 'handleBatch'
          | 'maxBatchSize'
          | 'maxBytesPerPartition'
          | 'partitionsConsumedConcurrently'
        >,
  ): Promise<void> {
    const common = {
      bus: this.bus,
      fromBeginning: true,
      logger: {
        warn: (message: string, fields?: Record<string, unknown>) =>
          this.logger.warn(`${message} ${JSON.stringify(fields ?? {})}`),
      },
    };
    this.subscriptions.push(
      await keepSubscribed(
        () =>
          'handleBatch' in options
            ? startBatchEventConsumer({ ...options, ...common })
            : startEventConsumer({ ...options, ...common }),
        { name: options.topic, warn: (message) => this.logger.warn(message) },
      ),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.stop()));
  }
}
