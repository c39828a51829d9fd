import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { KEYED_RECORDS_TOPIC, type KeyedRecordsEvent, keyedRecordsSchema } from '@thankstar/contracts';
import {
  consumerGroup,
  idempotent,
  keepSubscribed,
  MESSAGE_BUS,
  type MessageBus,
  type Subscription,
  startEventConsumer,
} from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { KeyedRecordsService } from './keyed-records.service';

export const KEYED_RECORDS_CONSUMER = 'billing.keyed-records';

/**
 * Counts `customers.keyed-records.v1` (group `<prefix>.billing.keyed-records`) one event at a time:
 * the processed_events row and the keyed_imports row commit together, and the offset is committed
 * after; keyed_imports is unique per (tenant, import job), so even a second event for the same job
 * (a new event id) changes nothing.
 */
@Injectable()
export class KeyedRecordsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(KeyedRecordsConsumer.name);
  private subscription: Subscription | undefined;
  /** Handles one event as the consumer does, deduplicated on its id (tests deliver an event twice with it). */
  readonly handle: (event: KeyedRecordsEvent) => Promise<void>;

  constructor(
    dataSource: DataSource,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    keyed: KeyedRecordsService,
  ) {
    this.handle = idempotent<KeyedRecordsEvent>(dataSource, KEYED_RECORDS_CONSUMER, (e, m) => keyed.recordImport(e, m));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /** The service stays up when the broker is not: it keeps trying to join in the background. */
  private async start(): Promise<void> {
    this.subscription = await keepSubscribed(
      () =>
        startEventConsumer({
          bus: this.bus,
          groupId: consumerGroup(KEYED_RECORDS_CONSUMER),
          topic: KEYED_RECORDS_TOPIC,
          schema: keyedRecordsSchema,
          fromBeginning: true,
          handle: this.handle,
          logger: {
            warn: (message: string, fields?: Record<string, unknown>) =>
              this.logger.warn(`${message} ${JSON.stringify(fields ?? {})}`),
          },
        }),
      { name: KEYED_RECORDS_TOPIC, warn: (message) => this.logger.warn(message) },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
