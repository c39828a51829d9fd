import { context, type Link, type Span, SpanKind, trace } from '@opentelemetry/api';
import type {
  DeliveryControl,
  IncomingMessage,
  MessageBus,
  OutgoingMessage,
  SubscribeOptions,
} from '../kafka/message-bus';
import { parseTraceparent } from './traceparent';
import { contextFromTraceparent, failSpan, spanContextOf, traceparentOf, tracer, tracingEnabled } from './tracing';

const envelopeTraceparent = /"traceparent":"(00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})"/;

/**
 * Traces a MessageBus (OpenTelemetry messaging spans), or returns it untouched when tracing is off.
 *
 * - `publish`: one PRODUCER span `send <topic>` per message, child of the active span (a consumer
 *   dead-lettering) or else of the message's `traceparent` header (the outbox relay: the envelope's
 *   creation context). The header is replaced by the producer span's context, so the consumer
 *   continues from the send.
 * - `subscribe`: one CONSUMER span `process <topic>` per message (per message of a batch), child of
 *   the header's context and linked to the envelope's creation context. The handler runs inside it,
 *   and sees the envelope's `traceparent` replaced by the consumer span's: the consumer's log
 *   context and whatever it enqueues then name a span that exists.
 *
 * It decorates with a Proxy, so methods the bus gains later pass through unchanged.
 */
export function withTracing<B extends MessageBus>(bus: B): B {
  if (!tracingEnabled()) return bus;
  const traced: Pick<MessageBus, 'publish' | 'subscribe'> = {
    publish: (messages) => publishTraced(bus, messages),
    subscribe: (options) => bus.subscribe(tracedSubscribe(options)),
  };
  return new Proxy(bus, {
    get(target, prop, receiver) {
      if (prop === 'publish' || prop === 'subscribe') return traced[prop];
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function publishTraced(bus: MessageBus, messages: OutgoingMessage[]): Promise<void> {
  const active = trace.getSpan(context.active())?.isRecording() ? context.active() : undefined;
  const spans: Span[] = [];
  const out = messages.map((m) => {
    const headerTp = m.headers?.traceparent;
    if (!active && !parseTraceparent(headerTp)) return m;
    const parent = active ?? contextFromTraceparent(headerTp);
    const span = tracer().startSpan(
      `send ${m.topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.operation.name': 'send',
          'messaging.destination.name': m.topic,
          'messaging.kafka.message.key': m.key,
        },
      },
      parent,
    );
    spans.push(span);
    return { ...m, headers: { ...m.headers, traceparent: traceparentOf(span.spanContext()) } };
  });
  try {
    await bus.publish(out);
  } catch (err) {
    for (const span of spans) failSpan(span, err);
    throw err;
  } finally {
    for (const span of spans) span.end();
  }
}

/** The message's span: CONSUMER, child of the header's context, linked to the envelope's creation context. */
function startConsumerSpan(message: IncomingMessage, groupId: string): { span: Span; message: IncomingMessage } {
  const value = message.value?.toString('utf8');
  const envelopeTp = value ? envelopeTraceparent.exec(value)?.[1] : undefined;
  const headerTp = parseTraceparent(message.headers.traceparent) ? message.headers.traceparent : undefined;
  const creation = spanContextOf(envelopeTp);
  const links: Link[] = creation && envelopeTp !== headerTp ? [{ context: creation }] : [];
  const span = tracer().startSpan(
    `process ${message.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': message.topic,
        'messaging.consumer.group.name': groupId,
        'messaging.destination.partition.id': String(message.partition),
        'messaging.kafka.offset': Number(message.offset),
        ...(message.key !== null ? { 'messaging.kafka.message.key': message.key } : {}),
      },
      links,
    },
    // A root context (not the consumer loop's): each message continues its own trace.
    contextFromTraceparent(headerTp ?? envelopeTp, trace.deleteSpan(context.active())),
  );
  if (!value || !envelopeTp) return { span, message };
  const ownTp = traceparentOf(span.spanContext());
  const rewritten = value.replace(`"traceparent":"${envelopeTp}"`, `"traceparent":"${ownTp}"`);
  return { span, message: { ...message, value: Buffer.from(rewritten, 'utf8') } };
}

async function inConsumerSpan(span: Span, fn: () => Promise<void>): Promise<void> {
  try {
    await context.with(trace.setSpan(context.active(), span), fn);
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

type AnySubscribeOptions = SubscribeOptions & {
  handle?: (message: IncomingMessage, control?: DeliveryControl) => Promise<void>;
  handleBatch?: (messages: IncomingMessage[], control?: DeliveryControl) => Promise<void>;
};

function tracedSubscribe(options: SubscribeOptions): SubscribeOptions {
  const o = options as AnySubscribeOptions;
  if (typeof o.handle === 'function') {
    const handle = o.handle;
    return {
      ...options,
      handle: (message: IncomingMessage, control?: DeliveryControl) => {
        const started = startConsumerSpan(message, options.groupId);
        return inConsumerSpan(started.span, () => handle(started.message, control));
      },
    } as SubscribeOptions;
  }
  if (typeof o.handleBatch === 'function') {
    const handleBatch = o.handleBatch;
    return {
      ...options,
      // One span per message (each continues its own trace), all ending with the batch.
      handleBatch: async (messages: IncomingMessage[], control?: DeliveryControl) => {
        const started = messages.map((m) => startConsumerSpan(m, options.groupId));
        try {
          await handleBatch(
            started.map((s) => s.message),
            control,
          );
        } catch (err) {
          for (const s of started) failSpan(s.span, err);
          throw err;
        } finally {
          for (const s of started) s.span.end();
        }
      },
    } as SubscribeOptions;
  }
  return options;
}
