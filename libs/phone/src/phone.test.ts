import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nationalSignificantDigits, normalizePhoneNumber, phoneNumberProblem } from './index';

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

describe('phoneNumberProblem', () => {
  it.each([
    ['12345', 'TOO_SHORT'],
    ['abc-123', 'NOT_A_NUMBER'],
    ['03-1234-5678 内線12', 'NOT_A_NUMBER'],
    ['P', 'NOT_A_NUMBER'],
    ['   ', 'EMPTY'],
    ['03-0000-0000', 'INVALID'],
    ['0901234567890123456', 'TOO_LONG'],
  ])('「%s」 is refused: %s', (raw, problem) => {
    expect(phoneNumberProblem(raw)).toBe(problem);
  });

  it.each([
    '03-1234-5678',
    '０３－１２３４－５６７８',
    '(03)1234-5678',
    '090-1111-2222',
    '0120-000-999',
    '050-1234-5678',
    '+81 3 1234 5678',
    '+1 202 555 0100',
  ])('「%s」 is a phone number', (raw) => {
    expect(phoneNumberProblem(raw)).toBeNull();
  });

  it('property: every Japanese mobile number is accepted in any way of writing it, and a letter never is', () => {
    fc.assert(
      fc.property(fc.constantFrom('70', '80', '90'), fc.stringMatching(/^[1-9]\d{7}$/), (prefix, rest) => {
        expect(phoneNumberProblem(`0${prefix}${rest}`)).toBeNull();
        expect(phoneNumberProblem(`0${prefix}-${rest.slice(0, 4)}-${rest.slice(4)}`)).toBeNull();
        expect(phoneNumberProblem(`0${prefix}-${rest.slice(0, 4)}-x${rest.slice(4)}`)).toBe('NOT_A_NUMBER');
      }),
    );
  });
});
