import { describe, expect, it } from 'vitest';
import { perDay, totalsByClass } from './usage-table';

const days = [
  { date: '2026-11-02', class: 'CUSTOMER' as const, popups: 3, billedPopups: 2, amountYen: 60 },
  { date: '2026-11-02', class: 'UNKNOWN' as const, popups: 1, billedPopups: 1, amountYen: 20 },
  { date: '2026-11-03', class: 'CUSTOMER' as const, popups: 4, billedPopups: 0, amountYen: 0 },
];

describe('usage table', () => {
  it('totals each class over the month, zeros included, in the usual order', () => {
    const totals = totalsByClass(days);
    expect(totals.map((t) => t.class)).toEqual([
      'CUSTOMER',
      'MULTIPLE_MATCHES',
      'UNKNOWN',
      'WITHHELD',
      'EMPLOYEE',
      'NUISANCE',
    ]);
    expect(totals[0]).toEqual({ class: 'CUSTOMER', popups: 7, billedPopups: 2, amountYen: 60 });
    expect(totals[2]).toEqual({ class: 'UNKNOWN', popups: 1, billedPopups: 1, amountYen: 20 });
    expect(totals.reduce((n, t) => n + t.popups, 0)).toBe(8);
  });

  it('puts every day of the month on the axis, quiet days as zeros', () => {
    const rows = perDay(['2026-11-01', '2026-11-02', '2026-11-03'], days);
    expect(rows.map((r) => r.date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(rows[0]?.byClass).toEqual([0, 0, 0, 0, 0, 0]);
    expect(rows[1]?.byClass).toEqual([3, 0, 1, 0, 0, 0]);
    expect(rows[2]?.byClass).toEqual([4, 0, 0, 0, 0, 0]);
  });
});
