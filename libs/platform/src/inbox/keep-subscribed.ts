import type { Subscription } from '../kafka/message-bus';

export interface KeepSubscribedOptions {
  /** Named in the warning, e.g. the topic. */
  name: string;
  warn(message: string): void;
  retryMs?: number;
}

/**
 * Starts a consumer so that the service stays up when the broker is not: the returned promise
 * settles after the first attempt, and a failed start is retried in the background until it joins
 * or `stop()` is called. `stop()` also stops the subscription once it has joined.
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
  let subscription: Subscription | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = async (): Promise<void> => {
    try {
      const joined = await start();
      if (stopped) await joined.stop();
      else subscription = joined;
    } catch (err) {
      if (stopped) return;
      options.warn(
        `${options.name} consumer not started, retrying: ${err instanceof Error ? err.message : String(err)}`,
      );
      retry = setTimeout(() => void attempt(), retryMs);
      retry.unref();
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
