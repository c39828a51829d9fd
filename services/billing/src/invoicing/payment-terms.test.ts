import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { japaneseDate, localDate, paymentDueDate, settingsProblem } from './payment-terms';

describe('invoice dates in Japan time', () => {
  it('dates an invoice issued at 2026-12-31T16:00Z on 2027年1月1日 (JST), not the UTC date', () => {
    const issuedAt = new Date('2026-12-31T16:00:00Z');
    expect(issuedAt.toISOString().slice(0, 10)).toBe('2026-12-31');
    expect(localDate(issuedAt)).toBe('2027-01-01');
    expect(japaneseDate(localDate(issuedAt))).toBe('2027年1月1日');
    expect(localDate(new Date('2026-12-31T14:59:59Z'))).toBe('2026-12-31');
  });

  it('翌月末: the last day of the month after the issue month', () => {
    const terms = { paymentTerms: 'end-of-next-month', paymentTermDays: 30 } as const;
    expect(paymentDueDate('2027-01-01', terms)).toBe('2027-02-28');
    expect(paymentDueDate('2028-01-31', terms)).toBe('2028-02-29');
    expect(paymentDueDate('2026-12-15', terms)).toBe('2027-01-31');
  });

  it('N days after 発行日, across month and year ends', () => {
    const terms = (paymentTermDays: number) => ({ paymentTerms: 'days-after-issue' as const, paymentTermDays });
    expect(paymentDueDate('2026-12-20', terms(30))).toBe('2027-01-19');
    expect(paymentDueDate('2027-02-27', terms(2))).toBe('2027-03-01');
  });

  it('the due date is never before the issue date and end-of-next-month is always in the next month', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (at) => {
        const issued = localDate(at);
        const due = paymentDueDate(issued, { paymentTerms: 'end-of-next-month', paymentTermDays: 1 });
        expect(due > issued).toBe(true);
        const [y, m] = issued.split('-').map(Number) as [number, number];
        const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
        expect(due.slice(0, 7)).toBe(next);
        expect(paymentDueDate(due, { paymentTerms: 'end-of-next-month', paymentTermDays: 1 }).slice(8)).toMatch(
          /^(28|29|30|31)$/,
        );
      }),
    );
  });

  it('refuses settings the PDF could not print', () => {
    const ok = {
      paymentTerms: 'days-after-issue' as const,
      paymentTermDays: 30,
      bankAccount: '三菱UFJ銀行 本店 普通 1234567',
    };
    expect(settingsProblem(ok)).toBeNull();
    expect(settingsProblem({ ...ok, paymentTermDays: 0 })).toBe('days');
    expect(settingsProblem({ ...ok, paymentTermDays: 1.5 })).toBe('days');
    expect(settingsProblem({ ...ok, bankAccount: '  ' })).toBe('bankAccount');
    expect(settingsProblem({ ...ok, paymentTerms: 'weekly' as never })).toBe('terms');
  });
});
