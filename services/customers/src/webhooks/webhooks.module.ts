import { Module } from '@nestjs/common';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookEventsConsumer } from './webhook-events.consumer';
import { WEBHOOK_WAKE, WebhookEventsRecorder } from './webhook-events.recorder';
import { WebhooksRepository } from './webhooks.repository';
import { WebhookDeliveriesResolver, WebhookEndpointsResolver } from './webhooks.resolver';
import { WebhooksService } from './webhooks.service';

/**
 * Outbound webhooks: endpoints, deliveries recorded from the topics (and from customer writes,
 * through the exported recorder), the delivery worker, the delivery log.
 */
@Module({
  providers: [
    WebhooksRepository,
    WebhooksService,
    WebhookDeliveryWorker,
    { provide: WEBHOOK_WAKE, useExisting: WebhookDeliveryWorker },
    WebhookEventsRecorder,
    WebhookEventsConsumer,
    WebhookEndpointsResolver,
    WebhookDeliveriesResolver,
  ],
  exports: [WebhookEventsRecorder],
})
export class WebhooksModule {}
