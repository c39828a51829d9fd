import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childTraceparent, parseTraceparent, traceHeadersOf } from './traceparent';

describe('traceparent', () => {
  it('parses a valid W3C traceparent and rejects malformed or all-zero ones', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: '01',
    });
    expect(parseTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeUndefined();
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01')).toBeUndefined();
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent(undefined)).toBeUndefined();
  });

  it('a child keeps the trace id and gets a new span id; no parent starts a new trace', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), fc.stringMatching(/^[0-9a-f]{16}$/), (traceId, spanId) => {
        fc.pre(!/^0+$/.test(traceId) && !/^0+$/.test(spanId));
        const child = parseTraceparent(childTraceparent(`00-${traceId}-${spanId}-01`));
        expect(child?.traceId).toBe(traceId);
        expect(child?.spanId).not.toBe(spanId);
      }),
    );
    const a = parseTraceparent(childTraceparent());
    const b = parseTraceparent(childTraceparent());
    expect(a?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(a?.traceId).not.toBe(b?.traceId);
  });
});

describe('traceHeadersOf', () => {
  it('lifts a valid envelope traceparent into a Kafka header and ignores anything else', () => {
    const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(traceHeadersOf(JSON.stringify({ id: 'x', traceparent: tp }))).toEqual({ traceparent: tp });
    expect(traceHeadersOf(JSON.stringify({ id: 'x' }))).toBeUndefined();
    expect(traceHeadersOf(JSON.stringify({ traceparent: 'nope' }))).toBeUndefined();
    expect(traceHeadersOf('{not json')).toBeUndefined();
  });
});
