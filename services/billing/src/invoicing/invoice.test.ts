import { type PopupClass, popupClasses } from '@thankstar/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloudPlan, integrationPlan } from '../plans/default-plans';
import { type Exemption, rateCall } from '../rating/rate';
import { assembleInvoice, type InvoiceInput, packDueIn, type RatedCallCount, type RatedCallRecord } from './invoice';

const calls = (n: number, popupClass: PopupClass, opts: { exemption?: Exemption; surcharge?: number } = {}) =>
  Array.from({ length: n }, (_, i): RatedCallRecord => {
    const r = rateCall({
      popupClass,
      prices: cloudPlan.terms.popupPrices,
      listInputSurchargeYen: opts.surcharge ?? 0,
      dayKind: opts.exemption === 'CLOSED_DAY' ? 'closed-day' : opts.exemption ? 'after-hours' : 'business-hours',
      anyoneIn: !opts.exemption,
    });
    return { callId: `${popupClass}-${opts.exemption ?? 'billed'}-${i}`, popupClass, ...r };
  });

const amountOf = (inv: ReturnType<typeof assembleInvoice>, kind: string) =>
  inv.lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.amountYen, 0);

describe('assembleInvoice: worked examples', () => {
  it('Cloud plan, service start 15 April 2026, 3 PCs, one pack, list input per popup', () => {
    const inv = assembleInvoice({
      month: '2026-04',
      plan: cloudPlan.terms,
      serviceStartDate: '2026-04-15',
      endMonth: null,
      listInput: 'per-popup',
      connectionPacks: [{ purchasedOn: '2026-04-15' }],
      registeredPcs: 3,
      calls: [
        ...calls(120, 'CUSTOMER', { surcharge: 5 }),
        ...calls(10, 'EMPLOYEE', { surcharge: 5 }),
        ...calls(4, 'NUISANCE', { surcharge: 5 }),
        ...calls(6, 'CUSTOMER', { surcharge: 5, exemption: 'CLOSED_DAY' }),
        ...calls(3, 'UNKNOWN', { surcharge: 5, exemption: 'AFTER_HOURS_UNATTENDED' }),
      ],
      recordsKeyed: 0,
      taxRatePercent: 10,
      taxRounding: 'down',
    });
    // April has 30 days; 15–30 April is 16 days.
    // maintenance   10,000 × 16/30 = 5,333.3 → 5,333
    // software       1,050 × 16/30 = 560 per PC × 3 = 1,680
    // customer       120 × 30 = 3,600
    // employee        10 × 15 =   150
    // nuisance         4 ×  0 =     0
    // holiday 6, after-hours-unattended 3: 0
    // list input    (120 + 10) billed above 0 × 5 = 650
    // pack           990 × 5 × 12 = 59,400
    // subtotal       5,333 + 1,680 + 3,600 + 150 + 650 + 59,400 = 70,813
    // tax 10%        7,081.3 → 7,081;  total 77,894
    expect(amountOf(inv, 'MAINTENANCE')).toBe(5_333);
    expect(amountOf(inv, 'SOFTWARE_FEE')).toBe(1_680);
    expect(inv.lines.find((l) => l.popupClass === 'CUSTOMER')).toMatchObject({ quantity: 120, amountYen: 3_600 });
    expect(inv.lines.find((l) => l.popupClass === 'EMPLOYEE')).toMatchObject({ quantity: 10, amountYen: 150 });
    expect(inv.lines.find((l) => l.popupClass === 'NUISANCE')).toMatchObject({ quantity: 4, amountYen: 0 });
    expect(inv.lines.filter((l) => l.kind === 'EXEMPT_POPUPS').map((l) => l.quantity)).toEqual([6, 3]);
    expect(amountOf(inv, 'LIST_INPUT')).toBe(650);
    expect(amountOf(inv, 'CONNECTION_PACKS')).toBe(59_400);
    expect(amountOf(inv, 'INITIAL_FEE')).toBe(0);
    expect(inv.subtotalYen).toBe(70_813);
    expect(inv.taxYen).toBe(7_081);
    expect(inv.totalYen).toBe(77_894);
    expect(inv.callsCounted).toBe(143);
  });

  it('Integration plan terminating in month 7 of the minimum term', () => {
    const base: InvoiceInput = {
      month: '2026-04',
      plan: integrationPlan.terms,
      serviceStartDate: '2026-04-01',
      endMonth: '2026-11',
      listInput: 'per-record',
      connectionPacks: [],
      registeredPcs: 2,
      calls: calls(50, 'CUSTOMER'),
      recordsKeyed: 12,
      taxRatePercent: 10,
      taxRounding: 'down',
    };
    // First invoice: initial fee 50,000 + maintenance 5,000 (full month from the 1st) + 50 × 30
    // = 1,500 + 12 records × 40 = 480; software fee 0 on this plan.
    // subtotal 56,980, tax 5,698, total 62,678.
    const first = assembleInvoice(base);
    expect(amountOf(first, 'INITIAL_FEE')).toBe(50_000);
    expect(amountOf(first, 'SOFTWARE_FEE')).toBe(0);
    expect(first.subtotalYen).toBe(56_980);
    expect(first.totalYen).toBe(62_678);
    // Last invoice, November = month 7 of the term May 2026–April 2027: 5 months remain.
    // maintenance 5,000 + early termination 5 × 5,000 = 25,000 + 50 × 30 = 1,500 + 480
    // subtotal 31,980, tax 3,198, total 35,178.
    const last = assembleInvoice({ ...base, month: '2026-11' });
    expect(last.lines.find((l) => l.kind === 'EARLY_TERMINATION')).toMatchObject({
      quantity: 5,
      unitPriceYen: 5_000,
      amountYen: 25_000,
    });
    expect(amountOf(last, 'INITIAL_FEE')).toBe(0);
    expect(last.subtotalYen).toBe(31_980);
    expect(last.taxYen).toBe(3_198);
    expect(last.totalYen).toBe(35_178);
    expect(() => assembleInvoice({ ...base, month: '2026-12' })).toThrow(/after the contract ended/);
    expect(() => assembleInvoice({ ...base, month: '2026-03' })).toThrow(/before the service start/);
  });

  it('bills packs on purchase and on each anniversary of their own purchase', () => {
    expect(packDueIn('2026-04-15', '2026-04', 12)).toBe(true);
    expect(packDueIn('2026-04-15', '2026-05', 12)).toBe(false);
    expect(packDueIn('2026-04-15', '2027-04', 12)).toBe(true);
    expect(packDueIn('2026-04-15', '2026-03', 12)).toBe(false);
    const inv = (month: string) =>
      assembleInvoice({
        month,
        plan: cloudPlan.terms,
        serviceStartDate: '2026-01-10',
        endMonth: null,
        listInput: 'none',
        connectionPacks: [{ purchasedOn: '2026-01-10' }, { purchasedOn: '2026-01-20' }, { purchasedOn: '2026-09-03' }],
        registeredPcs: 0,
        calls: [],
        recordsKeyed: 0,
        taxRatePercent: 10,
        taxRounding: 'down',
      });
    expect(inv('2026-01').lines.find((l) => l.kind === 'CONNECTION_PACKS')?.amountYen).toBe(118_800);
    expect(inv('2026-02').lines.some((l) => l.kind === 'CONNECTION_PACKS')).toBe(false);
    expect(inv('2026-09').lines.find((l) => l.kind === 'CONNECTION_PACKS')?.amountYen).toBe(59_400);
    expect(inv('2027-01').lines.find((l) => l.kind === 'CONNECTION_PACKS')?.quantity).toBe(2);
  });
});

describe('assembleInvoice: properties', () => {
  const call = fc.record({
    callId: fc.integer({ min: 0, max: 40 }).map((n) => `call-${n}`),
    popupClass: fc.constantFrom(...popupClasses),
    dayKind: fc.constantFrom('closed-day', 'business-hours', 'after-hours' as const),
    anyoneIn: fc.boolean(),
  });

  it('counts no call twice, totals are the sum of the lines, tax is never negative', () => {
    fc.assert(
      fc.property(
        fc.array(call, { maxLength: 80 }),
        fc.constantFrom('none', 'per-popup', 'per-record' as const),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 14 }),
        (raw, listInput, pcs, startDay, monthsIn) => {
          const rated = raw.map(
            (c): RatedCallRecord => ({
              callId: c.callId,
              popupClass: c.popupClass,
              ...rateCall({
                popupClass: c.popupClass,
                prices: cloudPlan.terms.popupPrices,
                listInputSurchargeYen: listInput === 'per-popup' ? 5 : 0,
                dayKind: c.dayKind,
                anyoneIn: c.anyoneIn,
              }),
            }),
          );
          const month = `${2026 + Math.floor((2 + monthsIn) / 12)}-${String(((2 + monthsIn) % 12) + 1).padStart(2, '0')}`;
          const inv = assembleInvoice({
            month,
            plan: cloudPlan.terms,
            serviceStartDate: `2026-03-${String(startDay).padStart(2, '0')}`,
            endMonth: null,
            listInput,
            connectionPacks: [{ purchasedOn: '2026-03-01' }],
            registeredPcs: pcs,
            calls: rated,
            recordsKeyed: 3,
            taxRatePercent: 10,
            taxRounding: 'down',
          });
          const distinct = new Map(rated.map((c) => [c.callId, c] as const));
          // The first occurrence of each call is the one counted.
          const firsts = [...distinct.keys()].map((id) => rated.find((c) => c.callId === id) as RatedCallRecord);
          const popupLines = inv.lines.filter((l) => l.kind === 'POPUPS' || l.kind === 'EXEMPT_POPUPS');
          expect(popupLines.reduce((s, l) => s + l.quantity, 0)).toBe(distinct.size);
          expect(inv.callsCounted).toBe(distinct.size);
          const usage = inv.lines
            .filter((l) => l.kind === 'POPUPS' || (l.kind === 'LIST_INPUT' && l.unitPriceYen === 5))
            .reduce((s, l) => s + l.amountYen, 0);
          expect(usage).toBe(firsts.reduce((s, c) => s + c.popupYen + c.listInputYen, 0));
          expect(inv.subtotalYen).toBe(inv.lines.reduce((s, l) => s + l.amountYen, 0));
          for (const l of inv.lines) expect(l.amountYen).toBe(l.quantity * l.unitPriceYen);
          expect(inv.taxYen).toBeGreaterThanOrEqual(0);
          expect(inv.totalYen).toBe(inv.subtotalYen + inv.taxYen);
        },
      ),
    );
  });

  it("counting calls per kind (the close's GROUP BY) gives the same invoice as counting them one by one", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(call, { maxLength: 80, selector: (c) => c.callId }),
        fc.constantFrom(0, 5),
        (raw, surcharge) => {
          const rated = raw.map(
            (c): RatedCallRecord => ({
              callId: c.callId,
              popupClass: c.popupClass,
              ...rateCall({
                popupClass: c.popupClass,
                prices: cloudPlan.terms.popupPrices,
                listInputSurchargeYen: surcharge,
                dayKind: c.dayKind,
                anyoneIn: c.anyoneIn,
              }),
            }),
          );
          const groups = new Map<string, RatedCallCount>();
          // Reversed, so the groups come in another order than the calls.
          for (const c of [...rated].reverse()) {
            const key = `${c.popupClass}|${c.popupYen}|${c.listInputYen}|${c.exemption}`;
            const g = groups.get(key) ?? { ...c, count: 0 };
            g.count++;
            groups.set(key, g);
          }
          const base: Omit<InvoiceInput, 'calls'> = {
            month: '2026-05',
            plan: cloudPlan.terms,
            serviceStartDate: '2026-04-15',
            endMonth: null,
            listInput: surcharge > 0 ? 'per-popup' : 'none',
            connectionPacks: [],
            registeredPcs: 2,
            recordsKeyed: 0,
            taxRatePercent: 10,
            taxRounding: 'down',
          };
          const oneByOne = assembleInvoice({ ...base, calls: rated });
          const counted = assembleInvoice({
            ...base,
            calls: [],
            callCounts: [...groups.values()].map(({ popupClass, popupYen, listInputYen, exemption, count }) => ({
              popupClass,
              popupYen,
              listInputYen,
              exemption,
              count,
            })),
          });
          expect(counted).toEqual(oneByOne);
        },
      ),
    );
  });
});

describe('assembleInvoice: late usage of earlier months (docs/product-rules.md#late-data, decision 0007)', () => {
  const base: InvoiceInput = {
    month: '2026-12',
    plan: cloudPlan.terms,
    serviceStartDate: '2026-04-01',
    endMonth: null,
    listInput: 'per-popup',
    connectionPacks: [],
    registeredPcs: 0,
    calls: [],
    recordsKeyed: 0,
    taxRatePercent: 10,
    taxRounding: 'down',
  };
  const customer = (count: number, surcharge = 5): RatedCallCount => ({
    popupClass: 'CUSTOMER',
    popupYen: 30,
    listInputYen: surcharge,
    exemption: null,
    count,
  });

  it('bills each earlier month as its own labelled lines naming the month, oldest first', () => {
    const inv = assembleInvoice({
      ...base,
      callCounts: [customer(100)],
      lateUsage: [
        {
          month: '2026-11',
          callCounts: [
            customer(3),
            { popupClass: 'UNKNOWN', popupYen: 0, listInputYen: 0, exemption: 'AFTER_HOURS_UNATTENDED', count: 2 },
          ],
          recordsKeyed: 0,
        },
        { month: '2026-10', callCounts: [customer(1)], recordsKeyed: 0 },
      ],
    });
    const usage = inv.lines.filter((l) => l.kind !== 'MAINTENANCE');
    expect(usage.map((l) => [l.description, l.quantity, l.amountYen, l.originalMonth])).toEqual([
      ['着信ポップアップ (顧客)', 100, 3_000, undefined],
      ['リスト入力 (1着信ごと)', 100, 500, undefined],
      ['前月以前のご利用分（2026年10月） 着信ポップアップ (顧客)', 1, 30, '2026-10'],
      ['前月以前のご利用分（2026年10月） リスト入力 (1着信ごと)', 1, 5, '2026-10'],
      ['前月以前のご利用分（2026年11月） 着信ポップアップ (顧客)', 3, 90, '2026-11'],
      ['前月以前のご利用分（2026年11月） 着信ポップアップ 課金対象外 (営業時間外・不在)', 2, 0, '2026-11'],
      ['前月以前のご利用分（2026年11月） リスト入力 (1着信ごと)', 3, 15, '2026-11'],
    ]);
    // 10,000 maintenance + 3,500 December + 35 October + 105 November = 13,640; tax 1,364.
    expect(inv).toMatchObject({ subtotalYen: 13_640, taxYen: 1_364, totalYen: 15_004, callsCounted: 106 });
  });

  it("bills late keyed records at their month's per-record price, only on a per-record contract", () => {
    const late = [{ month: '2026-11', callCounts: [], recordsKeyed: 12, listInputPerRecordYen: 40 }];
    const inv = assembleInvoice({ ...base, listInput: 'per-record', recordsKeyed: 30, lateUsage: late });
    expect(inv.lines.filter((l) => l.kind === 'LIST_INPUT').map((l) => [l.description, l.amountYen])).toEqual([
      ['リスト入力 (データ化 1件ごと)', 1_200],
      ['前月以前のご利用分（2026年11月） リスト入力 (データ化 1件ごと)', 480],
    ]);
    const perPopup = assembleInvoice({ ...base, listInput: 'per-popup', recordsKeyed: 30, lateUsage: late });
    expect(perPopup.lines.filter((l) => l.kind === 'LIST_INPUT')).toEqual([]);
  });

  it('after the end month bills only the late lines, and refuses a month with nothing late', () => {
    const ended = {
      ...base,
      serviceStartDate: '2026-01-10',
      endMonth: '2026-11',
      connectionPacks: [{ purchasedOn: '2026-01-10' }],
    };
    const inv = assembleInvoice({
      ...ended,
      registeredPcs: 4,
      lateUsage: [{ month: '2026-11', callCounts: [customer(2)], recordsKeyed: 0 }],
    });
    expect(inv.lines.map((l) => [l.kind, l.amountYen, l.originalMonth])).toEqual([
      ['POPUPS', 60, '2026-11'],
      ['LIST_INPUT', 10, '2026-11'],
    ]);
    expect(inv.subtotalYen).toBe(70);
    // The month's own calls are all outside the contract (0 yen) and stay off the settlement.
    const noContract: RatedCallCount = {
      popupClass: 'CUSTOMER',
      popupYen: 0,
      listInputYen: 0,
      exemption: 'NO_CONTRACT',
      count: 3,
    };
    const settled = assembleInvoice({
      ...ended,
      callCounts: [noContract],
      lateUsage: [{ month: '2026-11', callCounts: [customer(2)], recordsKeyed: 0 }],
    });
    expect(settled.lines).toEqual(inv.lines);
    expect(() =>
      assembleInvoice({
        ...ended,
        callCounts: [customer(1)],
        lateUsage: [{ month: '2026-11', callCounts: [customer(2)], recordsKeyed: 0 }],
      }),
    ).toThrow(/priced calls/);
    expect(() => assembleInvoice(ended)).toThrow(/after the contract ended/);
    expect(() =>
      assembleInvoice({ ...ended, lateUsage: [{ month: '2026-11', callCounts: [], recordsKeyed: 0 }] }),
    ).toThrow(/after the contract ended/);
  });

  it('refuses late usage that is not of an earlier month, or a month given twice', () => {
    expect(() =>
      assembleInvoice({ ...base, lateUsage: [{ month: '2026-12', callCounts: [], recordsKeyed: 0 }] }),
    ).toThrow(RangeError);
    const twice = [
      { month: '2026-10', callCounts: [customer(1)], recordsKeyed: 0 },
      { month: '2026-10', callCounts: [customer(1)], recordsKeyed: 0 },
    ];
    expect(() => assembleInvoice({ ...base, lateUsage: twice })).toThrow(/twice/);
  });

  it('usage lines sum to the sum over the calls however the calls are split across months', () => {
    const group = fc.record({
      popupClass: fc.constantFrom(...popupClasses),
      dayKind: fc.constantFrom('closed-day', 'business-hours', 'after-hours' as const),
      anyoneIn: fc.boolean(),
      count: fc.integer({ min: 0, max: 50 }),
      // 0 = the invoice's own month, 1..5 = that many months earlier.
      monthsEarlier: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(group, { maxLength: 40 }), fc.constantFrom(0, 5), (groups, surcharge) => {
        const own: RatedCallCount[] = [];
        const late = new Map<string, RatedCallCount[]>();
        let expectedYen = 0;
        let expectedCalls = 0;
        for (const g of groups) {
          const rated = rateCall({
            popupClass: g.popupClass,
            prices: cloudPlan.terms.popupPrices,
            listInputSurchargeYen: surcharge,
            dayKind: g.dayKind,
            anyoneIn: g.anyoneIn,
          });
          const counted: RatedCallCount = { popupClass: g.popupClass, ...rated, count: g.count };
          expectedYen += (rated.popupYen + rated.listInputYen) * g.count;
          expectedCalls += g.count;
          if (g.monthsEarlier === 0) own.push(counted);
          else {
            const month = `2026-${String(12 - g.monthsEarlier).padStart(2, '0')}`;
            late.set(month, [...(late.get(month) ?? []), counted]);
          }
        }
        const lateUsage = [...late].map(([month, callCounts]) => ({ month, callCounts, recordsKeyed: 0 }));
        const inv = assembleInvoice({
          ...base,
          listInput: surcharge > 0 ? 'per-popup' : 'none',
          callCounts: own,
          lateUsage,
        });
        const usageLines = inv.lines.filter((l) => ['POPUPS', 'EXEMPT_POPUPS', 'LIST_INPUT'].includes(l.kind));
        expect(usageLines.reduce((s, l) => s + l.amountYen, 0)).toBe(expectedYen);
        expect(inv.callsCounted).toBe(expectedCalls);
        expect(inv.subtotalYen).toBe(cloudPlan.terms.maintenanceYen + expectedYen);
        // Every late line names its month and says so in its description; own lines name none.
        for (const l of usageLines) {
          if (l.originalMonth)
            expect(l.description.startsWith(`前月以前のご利用分（2026年${Number(l.originalMonth.slice(5))}月）`)).toBe(
              true,
            );
          else expect(l.description).not.toContain('前月以前');
        }
        // The same calls all in the own month bill the same usage yen.
        const together = assembleInvoice({
          ...base,
          listInput: surcharge > 0 ? 'per-popup' : 'none',
          callCounts: [...own, ...[...late.values()].flat()],
        });
        expect(together.subtotalYen).toBe(inv.subtotalYen);
      }),
    );
  });
});
