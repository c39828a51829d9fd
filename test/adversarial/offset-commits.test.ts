import { randomUUID } from 'node:crypto';
import { kafkaBrokersFromEnv, type Subscription } from '@thankstar/platform';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshBus, until } from './support';

// Real Kafka. Consumers commit the offsets they have handled on a timer (decision 0012), not after
// every fetch: a stop must still let the handler in flight finish and commit it, so the next member
// of the group starts right after it (nothing twice, nothing lost), and a quiet partition's offset
// must still reach the group without any further message.
describe('offsets committed on a timer (real Kafka)', () => {
  const { bus, prefix } = freshBus('adversarial-commits');
  const topic = 'test.adversarial.commits';
  const kafka = new Kafka({ clientId: 'commits-check', brokers: kafkaBrokersFromEnv(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const subs: Subscription[] = [];

  beforeAll(async () => {
    await bus.ensureTopics([{ topic, partitions: 1 }]);
    await admin.connect();
  });

  afterAll(async () => {
    for (const s of subs) await s.stop().catch(() => undefined);
    await admin.disconnect();
    await bus.close();
  });

  const committed = async (groupId: string) => {
    const [t] = await admin.fetchOffsets({ groupId, topics: [prefix + topic] });
    return Number(t?.partitions[0]?.offset ?? -1);
  };
  const end = async () => Number((await admin.fetchTopicOffsets(prefix + topic))[0]?.high ?? 0);
  /** A member of `groupId` that records the values starting with `tag`, kept until the end. */
  const member = async (groupId: string, tag: string, into: string[]) => {
    subs.push(
      await bus.subscribe({
        groupId,
        topics: [topic],
        fromBeginning: true,
        handle: async (m) => {
          const value = m.value?.toString('utf8') ?? '';
          if (value.startsWith(tag)) into.push(value);
        },
      }),
    );
  };

  it('a stop waits for the handler in flight and commits it; the next member starts after it', async () => {
    const groupId = `adv-commits-stop-${randomUUID()}`;
    const start = await end();
    const tag = randomUUID().slice(0, 8);
    const first: string[] = [];
    let slowStarted: () => void = () => undefined;
    const slowRunning = new Promise<void>((resolve) => {
      slowStarted = resolve;
    });
    const sub = await bus.subscribe({
      groupId,
      topics: [topic],
      fromBeginning: true,
      handle: async (m) => {
        const value = m.value?.toString('utf8') ?? '';
        if (!value.startsWith(tag)) return;
        if (value.endsWith('-2')) {
          slowStarted();
          await new Promise((r) => setTimeout(r, 1_500));
        }
        first.push(value);
      },
    });
    await bus.publish([1, 2, 3].map((n) => ({ topic, key: 'k', value: `${tag}-${n}` })));
    await slowRunning;
    await sub.stop();
    // The slow one finished during the stop; the one after it was not started.
    expect(first).toEqual([`${tag}-1`, `${tag}-2`]);
    expect(await committed(groupId)).toBe(start + 2);

    await bus.publish([{ topic, key: 'k', value: `${tag}-4` }]);
    const second: string[] = [];
    await member(groupId, tag, second);
    await until(
      'the next member handles the rest',
      () => second,
      (s) => s.length >= 2,
      30_000,
    );
    expect(second).toEqual([`${tag}-3`, `${tag}-4`]);
  });

  it('commits a quiet partition on the timer, with no further message and no stop', async () => {
    const groupId = `adv-commits-timer-${randomUUID()}`;
    const handled: string[] = [];
    await member(groupId, '', handled);
    const last = await end();
    await until(
      'every message handled',
      () => handled.length,
      (n) => n >= last,
      30_000,
    );
    await until(
      'the offset committed without a stop',
      () => committed(groupId),
      (o) => o === last,
      10_000,
    );
  });
});
