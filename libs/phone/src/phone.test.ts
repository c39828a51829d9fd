import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nationalSignificantDigits, normalizePhoneNumber } from './index';

describe('normalizePhoneNumber', () => {
  it.each([
    ['0312345678', '+81312345678', '03-1234-5678'],
    ['045-123-4567', '+81451234567', '045-123-4567'],
    ['09012345678', '+819012345678', '090-1234-5678'],
    ['0120123456', '+81120123456', '0120-123-456'],
    ['05012345678', '+815012345678', '050-1234-5678'],
    ['+81 3 1234 5678', '+81312345678', '03-1234-5678'],
  ])('%s is %s, shown as %s', (raw, e164, display) => {
    expect(normalizePhoneNumber(raw)).toEqual({ raw, e164, display, valid: true, withheldReason: null });
  });

  it.each([
    ['P', 'WITHHELD'],
    ['O', 'UNAVAILABLE'],
    ['S', 'UNAVAILABLE'],
    ['C', 'PAYPHONE'],
    ['anonymous', 'WITHHELD'],
  ])('reason code %s is %s', (raw, reason) => {
    expect(normalizePhoneNumber(raw).withheldReason).toBe(reason);
  });

  it('keeps an invalid number raw and flagged', () => {
    expect(normalizePhoneNumber('12-ab')).toEqual({
      raw: '12-ab',
      e164: null,
      display: null,
      valid: false,
      withheldReason: null,
    });
  });

  it('never throws and always keeps the raw string', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        expect(normalizePhoneNumber(raw).raw).toBe(raw);
      }),
    );
  });
});

describe('nationalSignificantDigits', () => {
  it('gives one key for the usual ways of writing a number', () => {
    const keys = ['03-1234-5678', '0312345678', '+81 3 1234 5678', '(03) 1234-5678'].map((n) =>
      nationalSignificantDigits(n),
    );
    expect(new Set(keys)).toEqual(new Set(['312345678']));
  });
});
