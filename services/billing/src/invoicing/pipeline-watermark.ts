import type { PartitionProgress } from '@thankstar/platform';

/**
 * Whether rating has consumed everything written to the popups topic before an instant, from
 * the group's progress on each partition (docs/product-rules.md, "Month close"): every partition
 * must have been consumed up to its first message written at or after the instant. An empty
 * partition, or one whose every message is later, asks for nothing.
 */
export function consumedBefore(progress: readonly PartitionProgress[]): boolean {
  return progress.length > 0 && progress.every((p) => p.consumed >= p.firstAtOrAfter);
}

/** Whether rating has consumed every partition to its end (nothing written so far is pending). */
export function caughtUp(progress: readonly PartitionProgress[]): boolean {
  return progress.length > 0 && progress.every((p) => p.consumed >= p.end);
}

/** Messages written before the instant that rating has not consumed yet, over all partitions. */
export function pendingBefore(progress: readonly PartitionProgress[]): bigint {
  return progress.reduce((n, p) => n + (p.firstAtOrAfter > p.consumed ? p.firstAtOrAfter - p.consumed : 0n), 0n);
}

/**
 * The watermark a close can use for month M (which ends at `monthEnd` in the tenant's zone):
 * popups are written to the topic a little after their call rang (telephony's outbox, then
 * customers), so the close asks for everything written before `monthEnd + grace`. A popup that
 * arrives later still is not dropped: it is billed on the next invoice (decision 0007).
 */
export function requiredWatermark(monthEnd: Date, graceMs: number): Date {
  if (!Number.isSafeInteger(graceMs) || graceMs < 0) throw new RangeError('graceMs');
  return new Date(monthEnd.getTime() + graceMs);
}
