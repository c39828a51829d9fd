import type { Envelope } from '@thankstar/contracts';
import {
  type ConsumerLogger,
  consumerGroup,
  type EventConsumerOptions,
  inSpan,
  keepSubscribed,
  type MessageBus,
  SpanKind,
  type Subscription,
  startEventConsumer,
} from '@thankstar/platform';
import type { TenantFanout } from './tenant-fanout';

export interface LiveFeed<E extends Envelope, T> {
  /** Names the consumer group: `gateway.<instance>` for popups, `gateway.<instance>.<name>` else. */
  name: string | undefined;
  topic: string;
  schema: EventConsumerOptions<E>['schema'];
  fanout: TenantFanout<T>;
  /** What the operators see of the event; undefined: nothing to push. */
  toItem(event: E): T | undefined;
}

/**
 * Every gateway instance reads every event with a consumer group of its own and pushes it to
 * its own sockets of that tenant. A new instance starts at the end of the topic: live is live,
 * and a reconnecting client catches up with `pendingPopups`. A poison message goes to the .dlq.
 *
 * A consumer that crashes (a broker restart) is started again by keepSubscribed, and resumes
 * where it stopped: the group commits its offsets. Its sockets stayed open through the crash, so
 * no client reconnects and catches up; starting again at the end would skip every popup written
 * while the broker was away (the drill lost 15 of 183 that way).
 */
export function consumeLiveFeed<E extends Envelope, T>(
  bus: MessageBus,
  instanceId: string,
  feed: LiveFeed<E, T>,
  logger?: ConsumerLogger & { log?(message: string): void },
): Promise<Subscription> {
  const groupId = consumerGroup(feed.name ? `gateway.${instanceId}.${feed.name}` : `gateway.${instanceId}`);
  return keepSubscribed(() => start(), {
    name: feed.topic,
    group: groupId,
    warn: (message) => logger?.warn(message),
  });

  function start(): Promise<Subscription> {
    return startEventConsumer({
      bus,
      groupId,
      topic: feed.topic,
      schema: feed.schema,
      fromBeginning: false,
      handle: async (event) => {
        const item = feed.toItem(event);
        if (item === undefined) return;
        // A span (with tracing on) under the consumer's: the push to this instance's sockets of the tenant.
        const sockets = await inSpan(`push ${feed.topic}`, { kind: SpanKind.PRODUCER }, (span) => {
          const n = feed.fanout.publish(event.tenantId, item);
          span.setAttributes({
            'messaging.system': 'graphql-ws',
            'messaging.destination.name': feed.topic,
            'thankstar.tenant_id': event.tenantId,
            'thankstar.sockets': n,
          });
          return n;
        });
        // The line carries the event's tenant, call and trace id (the consumer's log context): the
        // last hop of one call's trace, webhook → telephony → customers → here.
        if (sockets > 0) logger?.log?.(`${feed.topic} pushed to ${sockets} socket(s)`);
      },
      ...(logger ? { logger } : {}),
    });
  }
}
