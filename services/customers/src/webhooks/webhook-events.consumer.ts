import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CALL_EVENTS_TOPIC,
  callEventSchema,
  type Envelope,
  INTERACTIONS_TOPIC,
  INVOICES_TOPIC,
  interactionChangeSchema,
  invoiceIssuedSchema,
  POPUPS_TOPIC,
  popupSchema,
} from '@thankstar/contracts';
import {
  consumerGroup,
  idempotent,
  keepSubscribed,
  MESSAGE_BUS,
  type MessageBus,
  type Subscription,
  startEventConsumer,
} from '@thankstar/platform';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import {
  fromCallEvent,
  fromInteractionChange,
  fromInvoiceIssued,
  fromPopup,
  type WebhookEvent,
} from './webhook-events';
import { WebhookEventsRecorder } from './webhook-events.recorder';

/** The consumer groups' suffixes (`<KAFKA_GROUP_PREFIX>.customers.webhooks.<source>`), one per topic. */
export const webhookSources = {
  calls: CALL_EVENTS_TOPIC,
  popups: POPUPS_TOPIC,
  interactions: INTERACTIONS_TOPIC,
  invoices: INVOICES_TOPIC,
} as const;

/**
 * Turns the topics into webhook deliveries: call events (call.*), popups (popup.shown), interaction
 * changes (interaction.*) and billing's issued invoices (invoice.issued). Its own groups, so a slow
 * webhook path never holds the popups back. An event of a tenant with no endpoint for its type is
 * skipped after one read (no transaction, no dedup row); otherwise its deliveries are written in
 * the transaction of its dedup row (`customers.webhooks`), so a redelivered event adds nothing.
 * Each call's events keep their order: they come in key order per topic and the worker sends a
 * call's later delivery only after the earlier one (by the order they were recorded).
 */
@Injectable()
export class WebhookEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookEventsConsumer.name);
  private readonly subscriptions: Subscription[] = [];

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly recorder: WebhookEventsRecorder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all([
      this.consume('calls', callEventSchema, (e) => [fromCallEvent(e)]),
      this.consume('popups', popupSchema, (e) => [fromPopup(e)]),
      this.consume('interactions', interactionChangeSchema, fromInteractionChange),
      this.consume('invoices', invoiceIssuedSchema, (e) => [fromInvoiceIssued(e)]),
    ]);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.stop()));
  }

  private async consume<E extends Envelope>(
    source: keyof typeof webhookSources,
    schema: z.ZodType<E>,
    toWebhooks: (event: E) => (WebhookEvent | null)[],
  ): Promise<void> {
    const subscription = await keepSubscribed(
      () =>
        startEventConsumer({
          bus: this.bus,
          groupId: consumerGroup(`customers.webhooks.${source}`),
          topic: webhookSources[source],
          schema,
          fromBeginning: true,
          handle: async (event) => {
            const events = toWebhooks(event).filter((e): e is WebhookEvent => e !== null);
            if (events.length === 0) return;
            if (
              !(await this.recorder.listens(
                event.tenantId,
                events.map((e) => e.type),
              ))
            )
              return;
            let written = 0;
            await idempotent<E>(this.dataSource, 'customers.webhooks', async (_event, manager) => {
              written = await this.recorder.record(manager, events);
            })(event);
            this.recorder.recorded(written);
          },
          logger: { warn: (message, fields) => this.logger.warn(`${message} ${JSON.stringify(fields ?? {})}`) },
        }),
      { name: `webhook events (${source})`, warn: (message) => this.logger.warn(message) },
    );
    this.subscriptions.push(subscription);
  }
}
