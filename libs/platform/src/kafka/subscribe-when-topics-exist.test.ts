import { KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { subscribeWhenTopicsExist } from './kafkajs-bus';

/** kafkajs's own error for a topic the broker does not host yet (protocol error code 3). */
const unknownTopic = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error('This server does not host this topic-partition'), {
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
      code: 3,
      retriable: true,
    }),
  );

function consumerFailing(times: number, error: () => Error) {
  const calls: Array<{ topics: string[]; fromBeginning?: boolean }> = [];
  return {
    calls,
    subscribe: async (args: { topics: string[]; fromBeginning?: boolean }) => {
      calls.push(args);
      if (calls.length <= times) throw error();
    },
  };
}

describe('subscribeWhenTopicsExist', () => {
  it('waits while the topic is being created, then subscribes', async () => {
    const consumer = consumerFailing(2, unknownTopic);
    await subscribeWhenTopicsExist(consumer as never, ['t.v1'], true, 5_000);
    expect(consumer.calls).toHaveLength(3);
    expect(consumer.calls[2]).toEqual({ topics: ['t.v1'], fromBeginning: true });
  });

  it('gives up with the broker error once the wait is over', async () => {
    const consumer = consumerFailing(Number.POSITIVE_INFINITY, unknownTopic);
    await expect(subscribeWhenTopicsExist(consumer as never, ['t.v1'], false, 250)).rejects.toMatchObject({
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
    expect(consumer.calls.length).toBeGreaterThan(1);
  });

  it('does not retry other errors', async () => {
    const consumer = consumerFailing(1, () => new Error('authentication failed'));
    await expect(subscribeWhenTopicsExist(consumer as never, ['t.v1'], false, 5_000)).rejects.toThrow(
      'authentication failed',
    );
    expect(consumer.calls).toHaveLength(1);
  });
});
