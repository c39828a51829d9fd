import { randomUUID } from 'node:crypto';
import { consumerRestarts, keepSubscribed, type Subscription } from '@thankstar/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshBus, until } from './support';

// Real Kafka. kafkajs restarts a consumer by itself only after retriable errors; after a
// non-retriable one ("Failed to find group coordinator" around a broker restart, thrown here by
// the handler with the shape kafkajs gives it) the consumer stays down. keepSubscribed must start it again, count
// the restart under its group, and the uncommitted message must then be handled.
describe('a consumer that crashes for good is started again (real Kafka)', () => {
  const { bus } = freshBus('adversarial-crash');
  const topic = 'test.adversarial.crash';
  const group = `adv-crash-${randomUUID()}`;
  const warnings: string[] = [];
  const handled: string[] = [];
  let crashes = 0;
  let sub: Subscription | undefined;

  beforeAll(async () => {
    await bus.ensureTopics([{ topic, partitions: 1 }]);
  });

  afterAll(async () => {
    await sub?.stop();
    await bus.close();
  });

  it('restarts after the crash, counts it by group and handles the message it crashed on', async () => {
    const restarts = async () =>
      (await consumerRestarts.get()).values.find((v) => v.labels.group === group)?.value ?? 0;
    sub = await keepSubscribed(
      () =>
        bus.subscribe({
          groupId: group,
          topics: [topic],
          fromBeginning: true,
          handle: async (m) => {
            const value = m.value?.toString('utf8') ?? '';
            if (value === 'crash-once' && crashes === 0) {
              crashes += 1;
              // What kafkajs throws when the coordinator is gone (non-retriable to kafkajs: it gives up).
              throw Object.assign(new Error('Failed to find group coordinator (simulated)'), {
                name: 'KafkaJSGroupCoordinatorNotFound',
                retriable: false,
              });
            }
            handled.push(value);
          },
        }),
      { name: topic, group, warn: (m) => warnings.push(m), retryMs: 200 },
    );
    await bus.publish([
      { topic, key: 'k', value: 'crash-once' },
      { topic, key: 'k', value: 'after' },
    ]);
    await until(
      'both handled after the restart',
      () => handled,
      (h) => h.includes('after'),
      90_000,
    );
    expect(handled).toEqual(['crash-once', 'after']);
    expect(crashes).toBe(1);
    expect(await restarts()).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/^test\.adversarial\.crash consumer crashed, restarting: /)]);
  });
});
