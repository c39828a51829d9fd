/**
 * When and what to write, for group commit (the writing itself is the caller's `flush`).
 * Pure: no Nest, TypeORM or kafkajs.
 *
 * - While a batch is being written, new items queue; when it is done, everything queued goes
 *   into the next one (up to `maxBatch`). Under light load a batch is one item, so nothing waits
 *   for a timer; under heavy load batches grow and the per-item cost falls.
 * - The items that arrive in the same turn of the event loop as the first one join its batch.
 * - One batch is in flight at a time and items keep their arrival order.
 * - A batch that fails is written again one item at a time, so one bad item fails alone; each
 *   caller's promise settles with its own item's result or error.
 */
export class GroupCommitQueue<T, R> {
  private queue: { item: T; resolve(result: R): void; reject(error: unknown): void }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    /** Writes a batch; returns one result per item, in batch order. */
    private readonly flush: (batch: T[]) => Promise<R[]>,
    private readonly maxBatch: number,
    /** Told when a batch of several items failed, before they are retried one by one. */
    private readonly onBatchFailed: (size: number, error: unknown) => void = () => undefined,
  ) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error('a batch holds at least one item');
  }

  /** Settles once the batch holding the item has been written (or has failed for it). */
  push(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  /** Waits until everything queued has been written. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    // Let the items that arrived in the same turn of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.write(batch);
    }
    this.flushing = null;
  }

  private async write(batch: GroupCommitQueue<T, R>['queue']): Promise<void> {
    try {
      const results = await this.flush(batch.map((p) => p.item));
      for (const [i, p] of batch.entries()) p.resolve(results[i] as R);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      this.onBatchFailed(batch.length, error);
      for (const p of batch) await this.write([p]);
    }
  }
}
