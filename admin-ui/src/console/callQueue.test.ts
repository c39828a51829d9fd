import { describe, expect, it } from 'vitest';
import { callQueue, isRinging, RINGING_LIMIT_MS } from './callQueue';
import type { CallUpdate } from './popupFeed';

const now = Date.parse('2026-11-29T01:10:00Z');
const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
const popup = (id: string, secondsAgo: number, handledBy: string[] = []) => ({
  popupId: `p-${id}`,
  callId: `c-${id}`,
  rangAt: at(secondsAgo),
  handledBy: handledBy.map((userId) => ({ userId })),
});
const update = (id: string, event: CallUpdate['event'], secondsAgo: number): CallUpdate => ({
  callId: `c-${id}`,
  event,
  at: at(secondsAgo),
  operatorId: null,
  extension: null,
  lineLabel: null,
});

describe('isRinging', () => {
  it('rings until an update says answered, ended, missed or transferred', () => {
    const p = popup('a', 10);
    expect(isRinging(p, undefined, now)).toBe(true);
    for (const event of ['ANSWERED', 'ENDED', 'MISSED', 'TRANSFERRED'] as const) {
      expect(isRinging(p, update('a', event, 5), now)).toBe(false);
    }
  });

  it('rings again when the popup is sent again after a transfer (the update is older than the popup)', () => {
    expect(isRinging(popup('a', 10), update('a', 'TRANSFERRED', 20), now)).toBe(true);
  });

  it('stops ringing once somebody took the call, with or without a call update', () => {
    expect(isRinging(popup('a', 10, ['u2']), undefined, now)).toBe(false);
  });

  it('stops counting as ringing once it is older than the limit without any update', () => {
    expect(isRinging(popup('a', RINGING_LIMIT_MS / 1000 - 1), undefined, now)).toBe(true);
    expect(isRinging(popup('a', RINGING_LIMIT_MS / 1000 + 1), undefined, now)).toBe(false);
  });
});

describe('callQueue', () => {
  it('three rings in a row: the newest on top and expanded, the two earlier collapsed', () => {
    const q = callQueue([popup('1', 30), popup('2', 20), popup('3', 10)], {}, { now });
    expect(q.map((e) => [e.popup.popupId, e.ringing, e.expanded])).toEqual([
      ['p-3', true, true],
      ['p-2', true, false],
      ['p-1', true, false],
    ]);
  });

  it('puts a ringing call above newer calls that stopped ringing', () => {
    const q = callQueue([popup('old', 40), popup('new', 10)], { 'c-new': update('new', 'ANSWERED', 5) }, { now });
    expect(q.map((e) => e.popup.popupId)).toEqual(['p-old', 'p-new']);
    expect(q.map((e) => e.ringing)).toEqual([true, false]);
    expect(q.map((e) => e.expanded)).toEqual([true, false]);
  });

  it('keeps the newest call the operator took expanded, for the notes after the call', () => {
    const q = callQueue(
      [popup('mine-old', 300, ['me']), popup('mine', 200, ['me', 'u2']), popup('other', 100, ['u2']), popup('new', 5)],
      { 'c-mine': update('mine', 'ENDED', 150), 'c-other': update('other', 'ANSWERED', 90) },
      { meId: 'me', now },
    );
    expect(q.map((e) => [e.popup.popupId, e.expanded])).toEqual([
      ['p-new', true],
      ['p-other', false],
      ['p-mine', true],
      ['p-mine-old', false],
    ]);
  });

  it("the operator's own choice wins over the default, either way", () => {
    const q = callQueue(
      [popup('1', 30), popup('2', 20), popup('3', 10)],
      {},
      {
        now,
        overrides: { 'p-3': false, 'p-1': true },
      },
    );
    expect(q.map((e) => [e.popup.popupId, e.expanded])).toEqual([
      ['p-3', false],
      ['p-2', false],
      ['p-1', true],
    ]);
  });

  it('is empty for no popups and does not change its input', () => {
    expect(callQueue([], {}, { now })).toEqual([]);
    const popups = [popup('1', 30), popup('2', 20)];
    callQueue(popups, {}, { now });
    expect(popups.map((p) => p.popupId)).toEqual(['p-1', 'p-2']);
  });
});
