import { type PopupPayload, popupPayloadSchema } from '@thankstar/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POPUP_BUDGET, fitPopup, popupBytes } from './fit';

/** Strings from tiny to huge without generating them character by character: a piece repeated. */
const text = (maxRepeat: number) =>
  fc
    .tuple(fc.constantFrom('a', 'あ', '𠮷', '山田', 'x y\n', '"\\'), fc.nat(maxRepeat))
    .map(([piece, n]) => piece.repeat(n));
const uuid = fc.uuid({ version: 4 });
const date = fc.constantFrom('2026-11-01', '2025-01-31');
const iso = fc.constantFrom('2026-11-29T10:00:00.000Z', '2026-11-29T19:00:00+09:00');

const customer = fc.record({
  id: uuid,
  name: text(20_000),
  nameKana: fc.option(text(500)),
  company: fc.option(text(500)),
  tags: fc.array(text(100), { maxLength: 40 }),
  department: fc.option(text(200)),
  phones: fc.array(
    fc.record({
      raw: text(10),
      display: fc.option(text(10)),
      type: fc.constantFrom('MOBILE' as const, 'OTHER' as const),
      label: fc.option(text(100)),
    }),
    { maxLength: 20 },
  ),
  emails: fc.array(text(100), { maxLength: 15 }),
  address: fc.option(
    fc.record({
      postalCode: fc.option(fc.constant('150-0001')),
      prefecture: fc.option(fc.constant('東京都')),
      city: fc.option(text(500)),
      street: fc.option(text(500)),
      building: fc.option(text(500)),
    }),
  ),
  notes: fc.option(text(40_000)),
  customFields: fc.array(
    fc.record({
      key: fc.constantFrom('rank', 'memo'),
      label: text(50),
      type: fc.constantFrom('TEXT' as const, 'MULTI_SELECT' as const),
      values: fc.array(text(3_000), { maxLength: 3 }),
    }),
    { maxLength: 10 },
  ),
  lastPurchaseOn: fc.option(date),
});

const popup: fc.Arbitrary<PopupPayload> = fc.record({
  popupId: uuid,
  callId: fc.string({ minLength: 1, maxLength: 40 }),
  class: fc.constantFrom('CUSTOMER' as const, 'MULTIPLE_MATCHES' as const, 'UNKNOWN' as const),
  caller: fc.record({
    raw: fc.constantFrom('09011112222', '0312345678', ''),
    e164: fc.option(fc.constant('+819011112222')),
    display: fc.option(fc.constant('090-1111-2222')),
    valid: fc.boolean(),
    withheldReason: fc.constant(null),
  }),
  lineLabel: fc.option(text(100)),
  rangAt: iso,
  customer: fc.option(customer),
  candidates: fc.array(customer, { maxLength: 5 }),
  purchases: fc.array(
    fc.record({
      id: uuid,
      purchasedOn: date,
      item: text(5_000),
      quantity: fc.integer({ min: 1, max: 100 }),
      amountYen: fc.nat(),
      channel: fc.option(text(500)),
    }),
    { maxLength: 5 },
  ),
  purchaseTotals: fc.option(fc.record({ count: fc.nat(), lifetimeValueYen: fc.nat() })),
  interactions: fc.array(
    fc.record({
      id: uuid,
      occurredAt: iso,
      summary: text(5_000),
      operatorName: fc.option(text(100)),
      outcome: fc.option(text(500)),
    }),
    { maxLength: 5 },
  ),
  notesAllowed: fc.boolean(),
  interactionId: uuid,
  nuisanceReason: fc.option(text(500)),
  employeeLabel: fc.option(text(500)),
  followUps: fc.array(
    fc.record({
      interactionId: uuid,
      dueOn: date,
      assigneeId: fc.option(fc.constant('u1')),
      assigneeName: fc.option(text(100)),
      note: fc.option(text(2_000)),
    }),
    { maxLength: 10 },
  ),
  handledBy: fc.array(fc.record({ userId: fc.constant('u1'), name: fc.option(text(100)), since: iso }), {
    maxLength: 10,
  }),
  notes: fc.option(text(40_000)),
  outcome: fc.option(text(500)),
  transferredAt: fc.option(iso),
});

describe('fitPopup', () => {
  it('leaves a popup within the budget exactly as it was', () => {
    fc.assert(
      fc.property(popup, (p) => {
        fc.pre(popupBytes(p) <= DEFAULT_POPUP_BUDGET);
        expect(fitPopup(p, DEFAULT_POPUP_BUDGET)).toBe(p);
      }),
      { numRuns: 30 },
    );
  }, 60_000);

  it('any popup fits any budget, keeps the caller identity and stays a valid event', () => {
    fc.assert(
      fc.property(popup, fc.integer({ min: 8 * 1024, max: 300 * 1024 }), (p, budget) => {
        const fitted = fitPopup(p, budget);
        expect(popupBytes(fitted)).toBeLessThanOrEqual(budget);
        expect(fitted.popupId).toBe(p.popupId);
        expect(fitted.callId).toBe(p.callId);
        expect(fitted.class).toBe(p.class);
        expect(fitted.caller).toEqual(p.caller);
        expect(fitted.rangAt).toBe(p.rangAt);
        expect(fitted.interactionId).toBe(p.interactionId);
        expect(fitted.notesAllowed).toBe(p.notesAllowed);
        expect(fitted.customer?.id ?? null).toBe(p.customer?.id ?? null);
        // Candidates are dropped from the end only, and counted.
        expect(fitted.candidates.map((c) => c.id)).toEqual(
          p.candidates.slice(0, fitted.candidates.length).map((c) => c.id),
        );
        expect(fitted.candidates.length + (fitted.moreCandidates ?? 0)).toBe(p.candidates.length);
        if (p.candidates.length > 0) expect(fitted.candidates.length).toBeGreaterThan(0);
        expect(popupPayloadSchema.safeParse(fitted).success).toBe(true);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('drops history before candidates and cuts texts last', () => {
    const big = 'あ'.repeat(30_000); // 90 KB each in UTF-8
    const c = (i: number) => ({
      id: `00000000-0000-4000-8000-00000000000${i}`,
      name: `顧客${i}`,
      nameKana: null,
      company: null,
      tags: [],
      notes: big,
    });
    const p: PopupPayload = {
      popupId: '10000000-0000-4000-8000-000000000000',
      callId: 'call-1',
      class: 'MULTIPLE_MATCHES',
      caller: {
        raw: '09011112222',
        e164: '+819011112222',
        display: '090-1111-2222',
        valid: true,
        withheldReason: null,
      },
      lineLabel: null,
      rangAt: '2026-11-29T10:00:00.000Z',
      customer: null,
      candidates: [1, 2, 3, 4, 5].map(c),
      purchases: [],
      purchaseTotals: null,
      interactions: [],
      notesAllowed: true,
      moreCandidates: 3,
    };
    expect(popupBytes(p)).toBeGreaterThan(400 * 1024);
    const fitted = fitPopup(p, 256 * 1024);
    // Two whole candidates (180 KB) fit; the other three and the three not listed before are counted.
    expect(fitted.candidates.map((x) => x.name)).toEqual(['顧客1', '顧客2']);
    expect(fitted.moreCandidates).toBe(6);
    expect(fitted.candidates[0]?.notes).toBe(big);
  });
});
