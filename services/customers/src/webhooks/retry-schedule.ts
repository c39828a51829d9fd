/**
 * When a failed delivery is tried again, and when it is given up (docs/integrations.md
 * "Outbound webhooks"). Pure. Exponential: base, 2×base, 4×base … capped at `maxMs`; a delivery
 * is given up only once its first attempt is at least `retryForMs` old (default 24 hours), so it
 * is retried for at least that long.
 */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  retryForMs: number;
}

export type AfterFailure = { giveUp: true } | { giveUp: false; nextAttemptAt: Date };

export function backoffMs(policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>, attempts: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  return Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
}

/** After attempt number `attempts` (1-based) failed at `now`, the first attempt having been at `firstAttemptAt`. */
export function afterFailure(policy: RetryPolicy, attempts: number, firstAttemptAt: Date, now: Date): AfterFailure {
  if (now.getTime() - firstAttemptAt.getTime() >= policy.retryForMs) return { giveUp: true };
  return { giveUp: false, nextAttemptAt: new Date(now.getTime() + backoffMs(policy, attempts)) };
}

/** Whether a response status counts as delivered (any 2xx). */
export const delivered = (status: number | null) => status !== null && status >= 200 && status < 300;
