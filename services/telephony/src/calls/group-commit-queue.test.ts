import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupCommitQueue } from './group-commit-queue';

/** A flush that records its batches and answers each item doubled; items in `bad` fail their batch. */
function recorder(bad: ReadonlySet<number> = new Set()) {
  const batches: number[][] = [];
  const flush = async (batch: number[]) => {
    batches.push([...batch]);
    await new Promise((r) => setTimeout(r, 1));
    if (batch.some((n) => bad.has(n))) throw new Error(`bad item in ${batch.join(',')}`);
    return batch.map((n) => n * 2);
  };
  return { batches, flush };
}

describe('GroupCommitQueue', () => {
  it('puts the items pushed in one turn of the event loop into one batch, in order', async () => {
    const { batches, flush } = recorder();
    const queue = new GroupCommitQueue(flush, 500);
    const results = await Promise.all([1, 2, 3].map((n) => queue.push(n)));
    expect(results).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('queues what arrives while a batch is written and writes it next, one batch at a time', async () => {
    const { batches, flush } = recorder();
    const queue = new GroupCommitQueue(flush, 500);
    const first = queue.push(1);
    await new Promise((r) => setImmediate(r)); // the first batch has started
    const later = [2, 3].map((n) => queue.push(n));
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('never writes more than maxBatch at once', async () => {
    const { batches, flush } = recorder();
    const queue = new GroupCommitQueue(flush, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => queue.push(n)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('fails only the bad item of a failed batch: the others are written one by one', async () => {
    const { batches, flush } = recorder(new Set([2]));
    const failed: number[] = [];
    const queue = new GroupCommitQueue(flush, 500, (size) => failed.push(size));
    const results = await Promise.allSettled([1, 2, 3].map((n) => queue.push(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[0]).toMatchObject({ value: 2 });
    expect(results[2]).toMatchObject({ value: 6 });
    expect(failed).toEqual([3]);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('idle() waits until everything queued is written', async () => {
    const { batches, flush } = recorder();
    const queue = new GroupCommitQueue(flush, 1);
    void queue.push(1);
    void queue.push(2);
    await queue.idle();
    expect(batches).toEqual([[1], [2]]);
  });

  it('refuses a batch size below one', () => {
    expect(() => new GroupCommitQueue(async (b: number[]) => b, 0)).toThrow();
  });

  it('every item gets its own result and all are written in arrival order, whatever the batch size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.integer(), { maxLength: 30 }),
        async (max, items) => {
          const { batches, flush } = recorder();
          const queue = new GroupCommitQueue(flush, max);
          expect(await Promise.all(items.map((n) => queue.push(n)))).toEqual(items.map((n) => n * 2));
          expect(batches.flat()).toEqual(items);
          expect(batches.every((b) => b.length >= 1 && b.length <= max)).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });
});
