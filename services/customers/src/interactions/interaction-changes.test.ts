import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Interaction } from './interaction';
import { applyChanges, changesOf } from './interaction-changes';

const base: Interaction = {
  id: '00000000-0000-4000-8000-000000000001',
  tenantId: '00000000-0000-4000-8000-000000000002',
  customerId: null,
  callId: 'c1',
  popupId: null,
  kind: 'CALL',
  occurredAt: '2026-11-29T10:00:00.000Z',
  summary: '着信',
  notes: 'first',
  outcome: null,
  notesAllowed: true,
  operatorId: null,
  operatorName: null,
  handledBy: [],
  followUpOn: null,
  followUpAssigneeId: null,
  followUpAssigneeName: null,
  followUpDone: false,
  updatedAt: '2026-11-29T10:00:00.000Z',
};

describe('changesOf', () => {
  it('lists only fields that change; absent fields are left alone, blank clears', () => {
    expect(changesOf(base, { notes: 'first', outcome: '注文' })).toEqual([
      { field: 'outcome', oldValue: null, newValue: '注文' },
    ]);
    expect(changesOf(base, { notes: '  ' })).toEqual([{ field: 'notes', oldValue: 'first', newValue: null }]);
    expect(changesOf(base, { followUpDone: true })).toEqual([
      { field: 'followUpDone', oldValue: 'false', newValue: 'true' },
    ]);
  });

  it('property: applying the changes then asking again gives no changes', () => {
    const value = fc.option(
      fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
      { nil: null },
    );
    fc.assert(
      fc.property(value, value, fc.boolean(), (notes, outcome, done) => {
        const update = { notes, outcome, followUpDone: done };
        const next = applyChanges(base, changesOf(base, update));
        expect(changesOf(next, update)).toEqual([]);
      }),
    );
  });
});
