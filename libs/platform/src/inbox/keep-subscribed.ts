import type { Envelope } from '@thankstar/contracts';
import type { Subscription } from '../kafka/message-bus';
import { consumerRestarts } from '../observability/metrics';
import { type ConsumerLogger, type EventConsumerOptions, startEventConsumer } from './event-consumer';

export interface KeepSubscribedOptions {
  /** Named in the warning, e.g. the topic. */
  name: string;
  warn(message: string): void;
  /** Labels the restarts metric (the consumer group); default `name`. */
  group?: string;
  /** Wait before a retry of a failed start; default 5 s. A crashed consumer waits the same. */
  retryMs?: number;
}

/**
 * Starts a consumer so that the service stays up when the broker is not: the returned promise
 * settles after the first attempt, and a failed start is retried in the background until it joins
 * or `stop()` is called. A consumer that crashes for good later (its `crashed` settles: kafkajs
 * gives up after "Failed to find group coordinator" and the like while the broker restarts) is
 * started again the same way, for as long as the broker is away. `stop()` also stops the
 * subscription once it has joined.
 */
export async function keepSubscribed(
  start: () => Promise<Subscription>,
  options: KeepSubscribedOptions,
): Promise<Subscription> {
  const kept = subscribeInBackground(start, options);
  await kept.firstAttempt;
  return kept;
}

/**
 * The same, without waiting for the first attempt: for a consumer the service must not wait for
 * at start-up. `stop()` works at any time, also while an attempt is still joining (the
 * subscription is stopped as soon as it has joined, and no retry follows).
 */
export function subscribeInBackground(
  start: () => Promise<Subscription>,
  options: KeepSubscribedOptions,
): Subscription & { firstAttempt: Promise<void> } {
  const retryMs = options.retryMs ?? 5_000;
  const group = options.group ?? options.name;
  let subscription: Subscription | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const again = (message: string, groupId = group): void => {
    if (stopped) return;
    consumerRestarts.inc({ group: groupId });
    options.warn(message);
    retry = setTimeout(() => void attempt(), retryMs);
    retry.unref();
  };
  const attempt = async (): Promise<void> => {
    try {
      const joined = await start();
      if (stopped) {
        await joined.stop();
        return;
      }
      subscription = joined;
      void joined.crashed?.then(async (err) => {
        if (subscription !== joined || stopped) return;
        subscription = undefined;
        await joined.stop().catch(() => undefined);
        again(
          `${options.name} consumer crashed, restarting: ${err instanceof Error ? err.message : String(err)}`,
          joined.groupId ?? group,
        );
      });
    } catch (err) {
      again(`${options.name} consumer not started, retrying: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return {
    firstAttempt: attempt(),
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await subscription?.stop();
    },
  };
}

/**
 * An event consumer kept subscribed in the background (subscribeInBackground over
 * startEventConsumer): the service serves while the broker is away, a failed start or a crash is
 * retried, restarts are counted under the consumer's group and warned about under its topic.
 */
export function consumeInBackground<E extends Envelope>(
  options: EventConsumerOptions<E> & { logger: ConsumerLogger },
): Subscription & { firstAttempt: Promise<void> } {
  return subscribeInBackground(() => startEventConsumer(options), {
    name: options.topic,
    group: options.groupId,
    warn: (message) => options.logger.warn(message),
  });
}
