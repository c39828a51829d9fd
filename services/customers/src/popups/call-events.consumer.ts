import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CALL_EVENTS_TOPIC, callEventSchema } from '@thankstar/contracts';
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
import { PopupsService } from './popups.service';

/** Turns `telephony.call-events.v1` into popups. Dedup is per event id under the consumer name `customers.popups`. */
@Injectable()
export class CallEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CallEventsConsumer.name);
  private subscription: Subscription | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly popups: PopupsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /** The service stays up when the broker is not: it keeps trying to join in the background. */
  private async start(): Promise<void> {
    this.subscription = await keepSubscribed(
      () =>
        startEventConsumer({
          bus: this.bus,
          groupId: consumerGroup('customers'),
          topic: CALL_EVENTS_TOPIC,
          schema: callEventSchema,
          fromBeginning: true,
          handle: idempotent(this.dataSource, 'customers.popups', (event, manager) =>
            this.popups.onCallEvent(event, manager),
          ),
          logger: { warn: (message, fields) => this.logger.warn(`${message} ${JSON.stringify(fields ?? {})}`) },
        }),
      { name: 'call events', warn: (message) => this.logger.warn(message) },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
