import { CALL_EVENTS_TOPIC, callEventSchema } from '@thankstar/contracts';
import {
  type ConsumerLogger,
  consumerGroup,
  type MessageBus,
  type Subscription,
  startEventConsumer,
} from '@thankstar/platform';
import { type CallUpdate, callUpdateOf } from './call-update';
import type { TenantFanout } from './tenant-fanout';

/** Call status changes, fanned out like popups: own group per instance, from the end. */
export function consumeCallUpdates(
  bus: MessageBus,
  instanceId: string,
  callUpdates: TenantFanout<CallUpdate>,
  logger?: ConsumerLogger,
): Promise<Subscription> {
  return startEventConsumer({
    bus,
    groupId: consumerGroup(`gateway.${instanceId}.call-updates`),
    topic: CALL_EVENTS_TOPIC,
    schema: callEventSchema,
    fromBeginning: false,
    handle: async (event) => {
      const update = callUpdateOf(event.payload);
      if (update) callUpdates.publish(event.tenantId, update);
    },
    ...(logger ? { logger } : {}),
  });
}
