import { describe, expect, it } from 'vitest';
import { eventStream } from './event-stream';

describe('eventStream', () => {
  it('yields pushed events in order, whether pushed before or after the pull', async () => {
    const stream = eventStream<number>({ maxPending: 10, onOverflow: () => {}, onEnd: () => {} });
    stream.push(1);
    const second = stream.iterator.next();
    const first = await second;
    expect(first).toEqual({ value: 1, done: false });
    const pending = stream.iterator.next();
    stream.push(2);
    expect(await pending).toEqual({ value: 2, done: false });
  });

  it('ends and reports overflow when the reader falls more than maxPending behind', async () => {
    let overflows = 0;
    let ends = 0;
    const stream = eventStream<number>({
      maxPending: 3,
      onOverflow: () => overflows++,
      onEnd: () => ends++,
    });
    for (let i = 0; i < 5; i++) stream.push(i);
    expect(overflows).toBe(1);
    expect(ends).toBe(1);
    expect(await stream.iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('return() ends a waiting pull and calls onEnd once', async () => {
    let ends = 0;
    const stream = eventStream<number>({ maxPending: 3, onOverflow: () => {}, onEnd: () => ends++ });
    const waiting = stream.iterator.next();
    await stream.iterator.return?.();
    stream.end();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(ends).toBe(1);
  });
});
