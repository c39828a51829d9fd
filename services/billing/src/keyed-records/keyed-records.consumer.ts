import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { KEYED_RECORDS_TOPIC, type KeyedRecordsEvent, keyedRecordsSchema } from '@thankstar/contracts';
import {
  consumerGroup,
  idempotent,
  MESSAGE_BUS,
  type MessageBus,
  type Subscription,
  startEventConsumer,
} from '@thankstar/platform';
import { DataSource } from 'typeorm';
import { KeyedRecordsService } from './keyed-records.service';

const RETRY_MS = 5_000;
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
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly keyed: KeyedRecordsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /** Handles one event as the consumer does, deduplicated on its id (tests deliver an event twice with it). */
  handle(event: KeyedRecordsEvent): Promise<void> {
    return idempotent<KeyedRecordsEvent>(this.dataSource, KEYED_RECORDS_CONSUMER, (e, m) =>
      this.keyed.recordImport(e, m),
    )(event);
  }

  /** The service stays up when the broker is not: it keeps trying to join in the background. */
  private async start(): Promise<void> {
    try {
      this.subscription = await startEventConsumer({
        bus: this.bus,
        groupId: consumerGroup(KEYED_RECORDS_CONSUMER),
        topic: KEYED_RECORDS_TOPIC,
        schema: keyedRecordsSchema,
        fromBeginning: true,
        handle: (event) => this.handle(event),
        logger: {
          warn: (message: string, fields?: Record<string, unknown>) =>
            this.logger.warn(`${message} ${JSON.stringify(fields ?? {})}`),
        },
      });
    } catch (err) {
      if (this.stopped) return;
      this.logger.warn(
        `${KEYED_RECORDS_TOPIC} consumer not started, retrying: ${err instanceof Error ? err.message : String(err)}`,
      );
      this.retry = setTimeout(() => void this.start(), RETRY_MS);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.subscription?.stop();
  }
}
