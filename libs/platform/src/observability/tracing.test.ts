import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  activeTraceparent,
  contextFromTraceparent,
  spanContextOf,
  startTracing,
  traceparentOf,
  tracesExporterFromEnv,
  tracingEnabled,
} from './tracing';

describe('tracesExporterFromEnv', () => {
  it('is off unless an endpoint or an exporter is named', () => {
    expect(tracesExporterFromEnv({})).toBeUndefined();
    expect(tracesExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('otlp');
    expect(tracesExporterFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toBe('otlp');
    expect(tracesExporterFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe('otlp');
    expect(tracesExporterFromEnv({ OTEL_TRACES_EXPORTER: 'console' })).toBe('console');
    expect(tracesExporterFromEnv({ OTEL_TRACES_EXPORTER: 'console, otlp' })).toBe('otlp');
  });

  it('is off when told so, whatever else is set', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracesExporterFromEnv({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(tracesExporterFromEnv({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
  });

  it('refuses an exporter it does not ship, by name', () => {
    expect(() => tracesExporterFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER=zipkin/);
  });
});

describe('trace context helpers', () => {
  it('turns a traceparent into a remote span context and back', () => {
    const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const sc = spanContextOf(tp);
    expect(sc).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    });
    expect(traceparentOf(sc as NonNullable<typeof sc>)).toBe(tp);
    expect(trace.getSpanContext(contextFromTraceparent(tp))?.spanId).toBe('00f067aa0ba902b7');
  });

  it('ignores an invalid traceparent', () => {
    expect(spanContextOf('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeUndefined();
    expect(spanContextOf('garbage')).toBeUndefined();
    expect(trace.getSpanContext(contextFromTraceparent('garbage'))).toBeUndefined();
  });

  it('with tracing off, registers nothing and there is no active span to name', () => {
    const tracing = startTracing('unit', {});
    expect(tracing.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(activeTraceparent(contextFromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'))).toBe(
      undefined,
    );
  });
});
