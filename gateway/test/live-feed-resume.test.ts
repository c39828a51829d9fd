import { randomUUID } from 'node:crypto';
import { POPUPS_TOPIC, type Popup, popupSchema } from '@thankstar/contracts';
import { KafkaJsBus, kafkaBrokersFromEnv, platformTopics } from '@thankstar/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { consumeLiveFeed } from '../src/live/live-feed.consumer';
import { TenantFanout } from '../src/live/tenant-fanout';
import { popupEnvelope } from './support/popups';

// The real broker: a live feed whose consumer crashed (a broker restart) and started again must
// push what was written meanwhile, since its sockets stayed open and nobody catches up.
let bus: KafkaJsBus;
beforeAll(async () => {
  bus = new KafkaJsBus({ clientId: 'gateway-test-resume', brokers: kafkaBrokersFromEnv() });
  await bus.ensureTopics(platformTopics);
});
afterAll(async () => {
  await bus?.close();
});

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('a live feed started again resumes after the last popup it pushed, not at the end', async () => {
  const instanceId = `resume-${randomUUID().slice(0, 8)}`;
  const tenantId = randomUUID();
  const fanout = new TenantFanout<Popup>();
  const pushed: string[] = [];
  fanout.add({ tenantId, push: (p) => pushed.push(p.payload.callId) });
  const feed = {
    name: undefined,
    topic: POPUPS_TOPIC,
    schema: popupSchema,
    fanout,
    toItem: (event: Popup) => event,
  };
  const send = (callId: string) => {
    const event = popupEnvelope(tenantId);
    event.payload.callId = callId;
    return bus.publish([{ topic: POPUPS_TOPIC, key: tenantId, value: JSON.stringify(event) }]);
  };

  let subscription = await consumeLiveFeed(bus, instanceId, feed);
  await send('before-the-crash');
  await until(() => pushed.includes('before-the-crash'), 'the first popup');
  // The consumer dies (as when the broker restarts under it); popups keep being written.
  await subscription.stop();
  await send('during-the-gap-1');
  await send('during-the-gap-2');
  subscription = await consumeLiveFeed(bus, instanceId, feed);
  try {
    await until(() => pushed.includes('during-the-gap-2'), 'the popups written during the gap');
    expect(pushed.filter((c) => c.startsWith('during-the-gap'))).toEqual(['during-the-gap-1', 'during-the-gap-2']);
    expect(pushed.filter((c) => c === 'before-the-crash')).toHaveLength(1);
  } finally {
    await subscription.stop();
  }
});
