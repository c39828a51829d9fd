import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCallEventBody } from './call-event-body';

const valid = {
  callId: 'c-1',
  event: 'ringing',
  from: '090-1111-2222',
  to: '0312345678',
  occurredAt: '2026-11-29T10:00:00+09:00',
};

describe('parseCallEventBody', () => {
  it('reads a valid ring', () => {
    const result = parseCallEventBody(valid);
    expect(result.ok && result.event).toMatchObject({
      callId: 'c-1',
      kind: 'ringing',
      from: { e164: '+819011112222', display: '090-1111-2222', valid: true },
      to: { e164: '+81312345678' },
      extension: null,
    });
  });

  it('keeps a bad but number-like caller raw, flagged', () => {
    const result = parseCallEventBody({ ...valid, from: '12' });
    expect(result.ok && result.event.from).toEqual({
      raw: '12',
      e164: null,
      display: null,
      valid: false,
      withheldReason: null,
    });
  });

  it('refuses NUL characters, which Postgres text cannot store', () => {
    for (const field of ['callId', 'extension', 'operatorId']) {
      const result = parseCallEventBody({ ...valid, [field]: 'a\u0000b' });
      expect(!result.ok && result.problem.issues).toEqual([
        { path: field, message: 'Must not contain NUL characters.' },
      ]);
    }
  });

  it('maps a withheld caller', () => {
    const result = parseCallEventBody({ ...valid, from: 'P' });
    expect(result.ok && result.event.from.withheldReason).toBe('WITHHELD');
  });

  it.each([
    [{ ...valid, event: 'exploded' }, 'INVALID_BODY', 'event'],
    [{ ...valid, callId: '' }, 'INVALID_BODY', 'callId'],
    [{ ...valid, occurredAt: 'yesterday' }, 'INVALID_BODY', 'occurredAt'],
    [{ ...valid, from: undefined }, 'INVALID_BODY', 'from'],
    [{ ...valid, from: '' }, 'INVALID_NUMBER', 'from'],
    [{ ...valid, to: 'reception' }, 'INVALID_NUMBER', 'to'],
  ])('refuses %j with %s at %s', (body, code, path) => {
    const result = parseCallEventBody(body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.code).toBe(code);
      expect(result.problem.issues.map((i) => i.path)).toContain(path);
    }
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ ...Object.fromEntries(Object.keys(valid).map((k) => [k, fc.jsonValue()])) }),
        ),
        (body) => {
          const result = parseCallEventBody(body);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
    );
  });
});
