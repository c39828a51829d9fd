import { describe, expect, it } from 'vitest';
import {
  deadLetterReasonCode,
  metricsRegistry,
  recordConsumerLag,
  recordDeadLetter,
  registerOutboxBacklog,
  startConsumerTimer,
} from './metrics';

describe('metrics', () => {
  it('reduces a dead-letter reason to its stable code', () => {
    expect(deadLetterReasonCode('INVALID_EVENT: payload.from: Required')).toBe('INVALID_EVENT');
    expect(deadLetterReasonCode('HANDLER_FAILED: boom')).toBe('HANDLER_FAILED');
    expect(deadLetterReasonCode('something else')).toBe('OTHER');
  });

  it('exposes dead letters, consumer latency and lag, and the outbox backlog in the text format', async () => {
    const topic = `test.metrics-${Date.now()}`;
    recordDeadLetter(topic, 'g1', 'INVALID_JSON: the message value is not JSON');
    recordDeadLetter(topic, 'g1', 'INVALID_JSON: the message value is not JSON');
    startConsumerTimer(topic, 'g1')('handled');
    recordConsumerLag('g1', topic, 3, 42);
    const unregister = registerOutboxBacklog(`outbox-${topic}`, async () => 7);
    const failing = registerOutboxBacklog(`down-${topic}`, async () => {
      throw new Error('database down');
    });

    const text = await metricsRegistry.metrics();
    unregister();
    failing();

    expect(text).toContain(`thankstar_dead_letters_total{topic="${topic}",group="g1",reason="INVALID_JSON"} 2`);
    expect(text).toContain(
      `thankstar_consumer_handle_duration_seconds_count{topic="${topic}",group="g1",outcome="handled"} 1`,
    );
    expect(text).toContain(`thankstar_consumer_lag_messages{topic="${topic}",group="g1",partition="3"} 42`);
    expect(text).toContain(`thankstar_outbox_backlog{outbox="outbox-${topic}"} 7`);
    expect(text).not.toContain(`down-${topic}`);
  });
});
