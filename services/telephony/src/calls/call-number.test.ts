import { normalizePhoneNumber } from '@thankstar/phone';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callNumberOf } from './call-number';

describe('callNumberOf', () => {
  it.each([
    ['0312345678', '+81312345678', '03-1234-5678'],
    ['03-1234-5678', '+81312345678', '03-1234-5678'],
    ['0451234567', '+81451234567', '045-123-4567'],
    ['09012345678', '+819012345678', '090-1234-5678'],
    ['0120123456', '+81120123456', '0120-123-456'],
    ['05012345678', '+815012345678', '050-1234-5678'],
    ['+81 3 1234 5678', '+81312345678', '03-1234-5678'],
  ])('%s is %s, shown as %s', (raw, e164, display) => {
    expect(callNumberOf(raw, 'caller')).toEqual({ raw, e164, display, valid: true, withheldReason: null });
  });

  it.each([
    ['P', 'WITHHELD'],
    ['anonymous', 'WITHHELD'],
    ['O', 'UNAVAILABLE'],
    ['S', 'UNAVAILABLE'],
    ['C', 'PAYPHONE'],
  ])('caller-ID reason %s is withheld (%s), raw kept', (raw, reason) => {
    expect(callNumberOf(raw, 'caller')).toEqual({
      raw,
      e164: null,
      display: null,
      valid: false,
      withheldReason: reason,
    });
  });

  it('keeps a dial string that is not a valid number raw, flagged invalid', () => {
    expect(callNumberOf('0000', 'caller')).toEqual({
      raw: '0000',
      e164: null,
      display: null,
      valid: false,
      withheldReason: null,
    });
  });

  it.each(['', '   ', 'abc', 'sip:alice@example.com', '1'.repeat(41), '+-()'])('refuses %j as not a number', (raw) => {
    expect(callNumberOf(raw, 'caller')).toBeNull();
  });

  it('a line is never withheld', () => {
    expect(callNumberOf('P', 'line')).toBeNull();
  });

  it('never loses the raw string of anything it accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (raw) => {
        const number = callNumberOf(raw, 'caller');
        if (number) expect(number.raw).toBe(raw);
        if (number?.valid) expect(number.e164).toMatch(/^\+\d+$/);
      }),
    );
  });

  it('gives the same answer the second time, and never a shared object', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9+\-() ]{1,20}$/), (raw) => {
        const first = callNumberOf(raw, 'line');
        const again = callNumberOf(raw, 'line');
        expect(again).toEqual(first);
        if (first && /\d/.test(raw)) {
          expect(again).not.toBe(first);
          expect(first).toEqual(normalizePhoneNumber(raw));
        }
      }),
    );
  });
});
