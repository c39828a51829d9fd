import { popupClasses } from '@thankstar/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPopupPrices, rateCall } from './rate';

const base = {
  prices: defaultPopupPrices,
  listInputSurchargeYen: 0,
  dayKind: 'business-hours',
  anyoneIn: true,
} as const;

describe('rateCall', () => {
  it('bills the class price in business hours', () => {
    expect(rateCall({ ...base, popupClass: 'CUSTOMER' }).amountYen).toBe(30);
    expect(rateCall({ ...base, popupClass: 'WITHHELD' }).amountYen).toBe(30);
    expect(rateCall({ ...base, popupClass: 'EMPLOYEE' }).amountYen).toBe(15);
    expect(rateCall({ ...base, popupClass: 'NUISANCE' }).amountYen).toBe(0);
  });

  it('exempts closed days whoever is in', () => {
    const r = rateCall({ ...base, popupClass: 'CUSTOMER', dayKind: 'closed-day', listInputSurchargeYen: 5 });
    expect(r).toEqual({ popupYen: 0, listInputYen: 0, amountYen: 0, exemption: 'CLOSED_DAY' });
  });

  it('exempts after-hours calls only when nobody is in', () => {
    expect(rateCall({ ...base, popupClass: 'UNKNOWN', dayKind: 'after-hours', anyoneIn: false })).toMatchObject({
      amountYen: 0,
      exemption: 'AFTER_HOURS_UNATTENDED',
    });
    expect(rateCall({ ...base, popupClass: 'UNKNOWN', dayKind: 'after-hours', anyoneIn: true }).amountYen).toBe(30);
  });

  it('adds list input +5 only on popups billed above 0', () => {
    expect(rateCall({ ...base, popupClass: 'CUSTOMER', listInputSurchargeYen: 5 }).amountYen).toBe(35);
    expect(rateCall({ ...base, popupClass: 'EMPLOYEE', listInputSurchargeYen: 5 }).amountYen).toBe(20);
    expect(rateCall({ ...base, popupClass: 'NUISANCE', listInputSurchargeYen: 5 }).amountYen).toBe(0);
  });

  it('under the default plans every call is billed 0, 15, 30, 20 or 35 yen', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...popupClasses),
        fc.constantFrom('closed-day', 'business-hours', 'after-hours' as const),
        fc.boolean(),
        fc.constantFrom(0, 5),
        (popupClass, dayKind, anyoneIn, listInputSurchargeYen) => {
          const r = rateCall({ prices: defaultPopupPrices, popupClass, dayKind, anyoneIn, listInputSurchargeYen });
          expect([0, 15, 30, 20, 35]).toContain(r.amountYen);
          expect(r.amountYen).toBe(r.popupYen + r.listInputYen);
          if (r.exemption) expect(r.amountYen).toBe(0);
        },
      ),
    );
  });
});
