import { POPUPS_TOPIC, type PopupPayload, popupSchema } from '@thankstar/contracts';
import {
  type ConsumerLogger,
  consumerGroup,
  type MessageBus,
  type Subscription,
  startEventConsumer,
} from '@thankstar/platform';
import type { TenantFanout } from './tenant-fanout';

/**
 * Every gateway instance reads every popup with a consumer group of its own and pushes it to
 * its own sockets of that tenant. It starts at the end: a client catches up with pendingPopups.
 */
export function consumePopups(
  bus: MessageBus,
  instanceId: string,
  popups: TenantFanout<PopupPayload>,
  logger?: ConsumerLogger,
): Promise<Subscription> {
  return startEventConsumer({
    bus,
    groupId: consumerGroup(`gateway.${instanceId}`),
    topic: POPUPS_TOPIC,
    schema: popupSchema,
    fromBeginning: false,
    handle: async (event) => {
      popups.publish(event.tenantId, event.payload);
    },
    ...(logger ? { logger } : {}),
  });
}
