import type { PopupPayload } from '@thankstar/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallFacts } from '../interactions/call-facts';
import { withCallFacts } from './live-popup';

const customer = (id: string, department: string | null): NonNullable<PopupPayload['customer']> => ({
  id,
  name: '山田 太郎',
  nameKana: 'ヤマダ タロウ',
  company: null,
  tags: [],
  department,
  phones: [{ raw: '090-1111-2222', display: '090-1111-2222', type: 'MOBILE', label: null }],
  emails: [],
  address: null,
  notes: null,
  customFields: [],
  lastPurchaseOn: null,
});

const stored: PopupPayload = {
  popupId: '7b0c1a52-6c1e-4d35-9a4e-0b7d6c1f0a11',
  callId: 'call-1',
  class: 'CUSTOMER',
  caller: { raw: '09011112222', e164: '+819011112222', display: '090-1111-2222', withheld: false },
  lineLabel: null,
  rangAt: '2026-11-29T10:00:00.000Z',
  customer: customer('c0a8012e-0000-4000-8000-000000000001', '営業部'),
  candidates: [],
  purchases: [],
  purchaseTotals: { count: 0, lifetimeValueYen: 0 },
  interactions: [],
  notesAllowed: true,
  interactionId: '5a8e4c1d-2b3f-4e6a-9c7d-8e9f0a1b2c3d',
  nuisanceReason: null,
  employeeLabel: null,
  followUps: [],
  handledBy: [],
  notes: null,
  outcome: null,
  transferredAt: null,
} as PopupPayload;

const facts = (over: Partial<CallFacts> = {}): CallFacts => ({
  callId: 'call-1',
  handledBy: [],
  notes: null,
  outcome: null,
  transferredAt: null,
  correctedCustomer: null,
  ...over,
});

describe('withCallFacts', () => {
  it('shows the stored popup as it rang when the call has no interaction', () => {
    expect(withCallFacts(stored, undefined)).toBe(stored);
  });

  it('joins who handles the call, the notes, the outcome and the latest transfer', () => {
    const handledBy = [{ userId: 'u1', name: '佐藤', since: '2026-11-29T10:00:05.000Z' }];
    expect(
      withCallFacts(
        stored,
        facts({ handledBy, notes: '配送日の確認', outcome: '要折り返し', transferredAt: '2026-11-29T10:03:00.000Z' }),
      ),
    ).toEqual({
      ...stored,
      handledBy,
      notes: '配送日の確認',
      outcome: '要折り返し',
      transferredAt: '2026-11-29T10:03:00.000Z',
    });
  });

  it("shows the profile corrected during the call, only in place of the popup's own customer", () => {
    const corrected = customer(stored.customer?.id as string, '経理部');
    expect(withCallFacts(stored, facts({ correctedCustomer: corrected })).customer).toEqual(corrected);
    const other = customer('c0a8012e-0000-4000-8000-000000000002', '経理部');
    expect(withCallFacts(stored, facts({ correctedCustomer: other })).customer).toEqual(stored.customer);
    expect(withCallFacts({ ...stored, customer: null }, facts({ correctedCustomer: corrected })).customer).toBeNull();
  });

  it('keeps a transfer recorded in a popup stored before the facts moved to the interaction', () => {
    const old = { ...stored, transferredAt: '2026-11-29T10:02:00.000Z' };
    expect(withCallFacts(old, facts()).transferredAt).toBe('2026-11-29T10:02:00.000Z');
    expect(withCallFacts(old, facts({ transferredAt: '2026-11-29T10:04:00.000Z' })).transferredAt).toBe(
      '2026-11-29T10:04:00.000Z',
    );
  });

  it('never changes what the popup was when it rang, whatever the facts', () => {
    const handler = fc.record({ userId: fc.uuid(), name: fc.option(fc.string()), since: fc.constant(stored.rangAt) });
    fc.assert(
      fc.property(
        fc.record({
          handledBy: fc.array(handler, { maxLength: 5 }),
          notes: fc.option(fc.string()),
          outcome: fc.option(fc.string()),
          transferredAt: fc.option(fc.constant('2026-11-29T10:03:00.000Z')),
          correctedCustomer: fc.option(fc.constantFrom(customer(stored.customer?.id as string, '経理部'))),
        }),
        (live) => {
          const shown = withCallFacts(stored, { callId: stored.callId, ...live });
          const { handledBy, notes, outcome, transferredAt, customer: c, ...rest } = shown;
          const { handledBy: _h, notes: _n, outcome: _o, transferredAt: _t, customer: _c, ...asRang } = stored;
          expect(rest).toEqual(asRang);
          expect({ handledBy, notes, outcome, transferredAt }).toEqual({
            handledBy: live.handledBy,
            notes: live.notes,
            outcome: live.outcome,
            transferredAt: live.transferredAt,
          });
          expect(c?.id).toBe(stored.customer?.id);
        },
      ),
    );
  });
});
