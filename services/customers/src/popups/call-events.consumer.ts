import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CALL_EVENTS_TOPIC, callEventSchema } from '@thankstar/contracts';
import {
  consumerGroup,
  keepSubscribed,
  MESSAGE_BUS,
  type MessageBus,
  OutboxRelayLifecycle,
  type Subscription,
  startBatchEventConsumer,
} from '@thankstar/platform';
import type { LookupCard } from '../lookup/card';
import { LookupService } from '../lookup/lookup.service';
import { PopupsService } from './popups.service';

/**
 * Largest slice of a fetched batch written in one transaction. At the live rate a fetch holds a
 * few events per partition; after an outage the backlog goes through in transactions of this size.
 */
const BATCH_MAX = 100;

/**
 * Turns `telephony.call-events.v1` into popups, a fetched batch per transaction (popups.service
 * onCallEvents). Dedup is per event id under the consumer name `customers.popups`; a message that
 * does not validate, or an event whose handling fails for good, goes to the dead-letter topic on
 * its own while the rest of its batch is written (libs/platform startBatchEventConsumer). Once a
 * batch has committed, the outbox relay publishes its popups at once instead of waiting for the
 * commit's NOTIFY (OutboxRelay.publishNow); the relay's own rounds still back it up.
 */
@Injectable()
export class CallEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CallEventsConsumer.name);
  private subscription: Subscription | undefined;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly outbox: OutboxRelayLifecycle,
    private readonly popups: PopupsService,
    private readonly lookup: LookupService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /** The service stays up when the broker is not: it keeps trying to join in the background. */
  private async start(): Promise<void> {
    this.subscription = await keepSubscribed(
      () =>
        startBatchEventConsumer({
          bus: this.bus,
          groupId: consumerGroup('customers'),
          topic: CALL_EVENTS_TOPIC,
          schema: callEventSchema,
          fromBeginning: true,
          maxBatchSize: BATCH_MAX,
          handleBatch: async (items) => {
            const events = items.map((i) => i.event);
            // Lookup sources (Integration plan) are asked before the transaction opens, each for at
            // most its budget: no pooled connection waits on a tenant's database.
            const cards = await this.lookup.forRings(
              events
                .filter((e) => e.payload.event === 'ringing')
                .map((e) => ({
                  tenantId: e.tenantId,
                  callId: e.payload.callId,
                  e164: e.payload.from.e164,
                  line: e.payload.lineLabel ?? null,
                })),
            );
            if (await this.popups.onCallEvents(events, cards)) this.outbox.relay.publishNow();
            for (const [key, ring] of cards) if (ring.late) this.followLate(key, ring.late);
          },
          logger: { warn: (message, fields) => this.logger.warn(`${message} ${JSON.stringify(fields ?? {})}`) },
        }),
      { name: 'call events', warn: (message) => this.logger.warn(message) },
    );
  }

  /** A source answered after its budget: the committed popup is sent again with every card. */
  private followLate(key: string, late: Promise<LookupCard[]>): void {
    const split = key.indexOf(':');
    const tenantId = key.slice(0, split);
    const callId = key.slice(split + 1);
    late
      .then((all) => this.popups.sendLateCards(tenantId, callId, all))
      .then((sent) => {
        if (sent) this.outbox.relay.publishNow();
      })
      .catch((error) => this.logger.warn(`late lookup cards not sent: ${String(error)}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
