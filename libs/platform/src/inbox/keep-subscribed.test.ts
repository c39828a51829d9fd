import { describe, expect, it } from 'vitest';
import type { Subscription } from '../kafka/message-bus';
import { keepSubscribed, subscribeInBackground } from './keep-subscribed';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('keepSubscribed', () => {
  it('retries a failed start in the background and stops the subscription once joined', async () => {
    let attempts = 0;
    let stops = 0;
    const warnings: string[] = [];
    const sub = await keepSubscribed(
      async (): Promise<Subscription> => {
        attempts++;
        if (attempts < 3) throw new Error('broker down');
        return { stop: async () => void stops++ };
      },
      { name: 'topic.v1', warn: (m) => warnings.push(m), retryMs: 5 },
    );
    expect(attempts).toBe(1);
    while (attempts < 3) await sleep(5);
    expect(warnings).toEqual([
      'topic.v1 consumer not started, retrying: broker down',
      'topic.v1 consumer not started, retrying: broker down',
    ]);
    await sub.stop();
    expect(stops).toBe(1);
  });

  it('stops retrying after stop()', async () => {
    let attempts = 0;
    const sub = await keepSubscribed(
      async (): Promise<Subscription> => {
        attempts++;
        throw new Error('broker down');
      },
      { name: 't', warn: () => undefined, retryMs: 5 },
    );
    await sub.stop();
    await sleep(30);
    expect(attempts).toBe(1);
  });

  it('in the background: returns at once, and a stop() during the join stops the subscription when it joins', async () => {
    let join: (s: Subscription) => void = () => undefined;
    let stops = 0;
    const kept = subscribeInBackground(() => new Promise<Subscription>((resolve) => (join = resolve)), {
      name: 't',
      warn: () => undefined,
      retryMs: 5,
    });
    await kept.stop();
    join({ stop: async () => void stops++ });
    await kept.firstAttempt;
    expect(stops).toBe(1);
  });
});

describe('keepSubscribed after a crash', () => {
  it('starts a new consumer when the joined one crashes for good, and counts the restart by group', async () => {
    const { consumerRestarts } = await import('../observability/metrics');
    const before = (await consumerRestarts.get()).values.find((v) => v.labels.group === 'g.crash')?.value ?? 0;
    let attempts = 0;
    let crash: (err: unknown) => void = () => undefined;
    let stops = 0;
    const warnings: string[] = [];
    const sub = await keepSubscribed(
      async (): Promise<Subscription> => {
        attempts++;
        return {
          stop: async () => void stops++,
          crashed: attempts === 1 ? new Promise((resolve) => (crash = resolve)) : new Promise(() => undefined),
        };
      },
      { name: 't', group: 'g.crash', warn: (m) => warnings.push(m), retryMs: 5 },
    );
    expect(attempts).toBe(1);
    crash(new Error('Failed to find group coordinator'));
    while (attempts < 2) await sleep(5);
    expect(warnings).toEqual(['t consumer crashed, restarting: Failed to find group coordinator']);
    const after = (await consumerRestarts.get()).values.find((v) => v.labels.group === 'g.crash')?.value ?? 0;
    expect(after - before).toBe(1);
    await sub.stop();
    // The crashed one was stopped (cleaned up) and the new one by stop().
    expect(stops).toBe(2);
  });

  it('does not restart a consumer that crashes after stop()', async () => {
    let attempts = 0;
    let crash: (err: unknown) => void = () => undefined;
    const sub = await keepSubscribed(
      async (): Promise<Subscription> => {
        attempts++;
        return { stop: async () => undefined, crashed: new Promise((resolve) => (crash = resolve)) };
      },
      { name: 't', warn: () => undefined, retryMs: 5 },
    );
    await sub.stop();
    crash(new Error('late'));
    await sleep(30);
    expect(attempts).toBe(1);
  });
});
