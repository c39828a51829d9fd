import type { PhoneNumber } from '@thankstar/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyCall } from './classify';

const number = (raw = '09011112222'): PhoneNumber => ({
  raw,
  e164: '+819011112222',
  display: '090-1111-2222',
  valid: true,
  withheldReason: null,
});
const withheld = (reason: 'WITHHELD' | 'UNAVAILABLE' | 'PAYPHONE' = 'WITHHELD'): PhoneNumber => ({
  raw: 'P',
  e164: null,
  display: null,
  valid: false,
  withheldReason: reason,
});
const facts = (over: Partial<Parameters<typeof classifyCall>[0]> = {}) => ({
  caller: number(),
  nuisance: false,
  employee: false,
  customerMatches: 0,
  ...over,
});

describe('classifyCall', () => {
  it('classifies each case', () => {
    expect(classifyCall(facts({ customerMatches: 1 }))).toEqual({ class: 'CUSTOMER', notesAllowed: true });
    expect(classifyCall(facts({ customerMatches: 3 }))).toEqual({ class: 'MULTIPLE_MATCHES', notesAllowed: true });
    expect(classifyCall(facts())).toEqual({ class: 'UNKNOWN', notesAllowed: true });
    expect(classifyCall(facts({ caller: withheld('PAYPHONE') }))).toEqual({ class: 'WITHHELD', notesAllowed: true });
    expect(classifyCall(facts({ employee: true }))).toEqual({ class: 'EMPLOYEE', notesAllowed: true });
    expect(classifyCall(facts({ nuisance: true }))).toEqual({ class: 'NUISANCE', notesAllowed: false });
  });

  it('treats a caller without digits as withheld', () => {
    expect(classifyCall(facts({ caller: { ...number(''), raw: '' } })).class).toBe('WITHHELD');
  });

  it('lets nuisance win over employee, and employee over customer matches', () => {
    expect(classifyCall(facts({ nuisance: true, employee: true, customerMatches: 2 })).class).toBe('NUISANCE');
    expect(classifyCall(facts({ employee: true, customerMatches: 1 })).class).toBe('EMPLOYEE');
  });

  it('property: the order WITHHELD > NUISANCE > EMPLOYEE > matches holds for every combination', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(20), (isWithheld, nuisance, employee, matches) => {
        const result = classifyCall({
          caller: isWithheld ? withheld() : number(),
          nuisance,
          employee,
          customerMatches: matches,
        });
        const expected = isWithheld
          ? 'WITHHELD'
          : nuisance
            ? 'NUISANCE'
            : employee
              ? 'EMPLOYEE'
              : matches === 0
                ? 'UNKNOWN'
                : matches === 1
                  ? 'CUSTOMER'
                  : 'MULTIPLE_MATCHES';
        expect(result.class).toBe(expected);
        expect(result.notesAllowed).toBe(result.class !== 'NUISANCE');
      }),
    );
  });
});
