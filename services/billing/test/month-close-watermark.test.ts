import { randomUUID } from 'node:crypto';
import { POPUPS_TOPIC, popupSchema } from '@thankstar/contracts';
import { DomainError, KafkaJsBus, kafkaBrokersFromEnv, platformTopics } from '@thankstar/platform';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoicingService } from '../src/invoicing/invoicing.service';
import { MonthlyCloseScheduler } from '../src/invoicing/monthly-close.scheduler';
import { RatingConsumer } from '../src/rating/rating.consumer';
import { eventually, startTestApp, type TestApp } from './support';

/*
 * The month close waits for the pipeline (docs/product-rules.md, "Month close"): a popup written
 * to the topic before November ended (plus the grace) must be rated before November is closed.
 * The test has topics of its own (a prefix), so it can write a popup stamped 23:59:31 on
 * 30 November and know it is the only one.
 */
const prefix = `wm-${randomUUID().slice(0, 8)}.`;
let t: TestApp;
let kafka: Kafka;
let setup: KafkaJsBus;

beforeAll(async () => {
  process.env.KAFKA_TOPIC_PREFIX = prefix;
  setup = new KafkaJsBus({ clientId: 'billing-test-watermark', brokers: kafkaBrokersFromEnv(), topicPrefix: prefix });
  await setup.ensureTopics(platformTopics);
  kafka = new Kafka({ clientId: 'billing-test-watermark', brokers: kafkaBrokersFromEnv(), logLevel: logLevel.NOTHING });
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
  await setup?.close();
  delete process.env.KAFKA_TOPIC_PREFIX;
});

const backOffice = () => t.sign({ tenantId: randomUUID(), roles: ['back-office'] });

async function contract(tenantId: string) {
  const res = await t.gql(await backOffice(), 'mutation($i: NewContractInput!) { createContract(input: $i) { id } }', {
    i: {
      tenantId,
      recipientName: '株式会社みなと商会',
      planCode: 'CLOUD',
      serviceStartDate: '2026-10-01',
      listInput: 'NONE',
      connectionPacks: 0,
    },
  });
  expect(res.errors).toBeUndefined();
}

/** A popup written to the broker at `writtenAt` (the producer's timestamp), as customers would. */
async function writePopup(tenantId: string, callId: string, rangAt: string, writtenAt: string) {
  const event = popupSchema.parse({
    id: randomUUID(),
    type: 'customers.popup',
    tenantId,
    occurredAt: rangAt,
    payload: {
      popupId: randomUUID(),
      callId,
      class: 'CUSTOMER',
      caller: { raw: '0312345678', e164: '+81312345678', display: '03-1234-5678', valid: true, withheldReason: null },
      lineLabel: null,
      rangAt,
      customer: null,
      candidates: [],
      purchases: [],
      purchaseTotals: null,
      interactions: [],
      notesAllowed: true,
    },
  });
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({
      topic: prefix + POPUPS_TOPIC,
      messages: [{ key: tenantId, value: JSON.stringify(event), timestamp: String(Date.parse(writtenAt)) }],
    });
  } finally {
    await producer.disconnect();
  }
}

describe('the month close waits for the pipeline', () => {
  it('refuses to close a month while a popup written before its end (+ grace) is unrated, then bills it', async () => {
    const tenantId = randomUUID();
    await contract(tenantId);
    const invoicing = t.app.get(InvoicingService);
    const consumer = t.app.get(RatingConsumer);
    // Rating is down (a deploy, a crash) from before a call of Monday 30 November is written.
    await consumer.onApplicationShutdown();
    await writePopup(tenantId, 'last-call', '2026-11-30T17:59:30+09:00', '2026-11-30T17:59:31+09:00');

    const refusal = await invoicing.closeMonth(tenantId, '2026-11').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe('PIPELINE_BEHIND');
    expect((refusal as DomainError).details).toMatchObject({
      requiredWatermark: '2026-11-30T15:02:00.000Z', // 00:02 on 1 December in Tokyo: the end + 2 min grace
      pending: '1',
    });
    // Through the API: a 4xx-class GraphQL error with its code and a Japanese message.
    const res = await t.gql(
      await backOffice(),
      'mutation($t: ID!) { closeMonth(tenantId: $t, month: "2026-11") { id } }',
      { t: tenantId },
    );
    expect(res.errors?.[0].extensions.code).toBe('PIPELINE_BEHIND');
    expect(res.errors?.[0].message).toContain('まだ締められません');
    // The scheduler waits too: nothing of November is written.
    await t.app.get(MonthlyCloseScheduler).tick();
    expect(await t.db.query(`SELECT id FROM invoices WHERE tenant_id = $1 AND month = '2026-11'`, [tenantId])).toEqual(
      [],
    );

    // Rating comes back and catches up: the close goes through with the call on November's invoice.
    await consumer.onApplicationBootstrap();
    await eventually(
      async () =>
        (await t.db.query('SELECT 1 FROM rated_calls WHERE tenant_id = $1', [tenantId])).length > 0 || undefined,
      'the late popup to be rated',
    );
    await eventually(
      () =>
        invoicing.closeMonth(tenantId, '2026-11').then(
          (i) => i,
          (e: unknown) => (e instanceof DomainError && e.code === 'PIPELINE_BEHIND' ? undefined : Promise.reject(e)),
        ),
      'rating to commit its offsets',
    );
    const closed = await t.gql(
      await backOffice(),
      `mutation($t: ID!) { closeMonth(tenantId: $t, month: "2026-11") {
         status usageWatermark lines { kind quantity unitPriceYen } } }`,
      { t: tenantId },
    );
    expect(closed.errors).toBeUndefined();
    const invoice = closed.data.closeMonth;
    expect(invoice.lines).toContainEqual({ kind: 'POPUPS', quantity: 1, unitPriceYen: 30 });
    // The watermark it used is past the month's end and its grace.
    expect(Date.parse(invoice.usageWatermark)).toBeGreaterThanOrEqual(Date.parse('2026-11-30T15:02:00Z'));
  });

  it('closes a month once rating has passed its end, whatever was written after it', async () => {
    const tenantId = randomUUID();
    await contract(tenantId);
    // A popup written in December (for a call of December) is not November's business.
    await t.app.get(RatingConsumer).onApplicationShutdown();
    await writePopup(tenantId, 'december-call', '2026-12-01T09:00:00+09:00', '2026-12-01T09:00:01+09:00');
    try {
      const invoice = await t.app.get(InvoicingService).closeMonth(tenantId, '2026-10');
      expect(invoice.status).toBe('draft');
      expect(invoice.usageWatermark?.toISOString()).toBe('2026-10-31T15:02:00.000Z');
    } finally {
      await t.app.get(RatingConsumer).onApplicationBootstrap();
    }
  });
});
