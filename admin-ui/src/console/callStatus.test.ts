import { describe, expect, it } from 'vitest';
import { canTake, describeCallUpdate } from './callStatus';
import type { CallUpdate } from './popupFeed';

const update = (change: Partial<CallUpdate>): CallUpdate => ({
  callId: 'c1',
  event: 'ANSWERED',
  at: '2026-11-29T01:00:00Z',
  operatorId: null,
  extension: null,
  lineLabel: null,
  ...change,
});

describe('describeCallUpdate', () => {
  it('names the operator who answered when they handle the popup', () => {
    const s = describeCallUpdate(update({ operatorId: 'u2' }), 'u1', [{ userId: 'u2', name: '佐藤' }]);
    expect(s).toEqual({ key: 'answeredBy', who: '佐藤', elsewhere: true });
  });

  it('says the signed-in operator answered it', () => {
    expect(describeCallUpdate(update({ operatorId: 'u1' }), 'u1', []).key).toBe('answeredByMe');
  });

  it('falls back to the extension, then to a plain answered', () => {
    expect(describeCallUpdate(update({ operatorId: 'u9', extension: '201' }), 'u1', [])).toEqual({
      key: 'answeredAtExtension',
      who: '201',
      elsewhere: true,
    });
    expect(describeCallUpdate(update({}), 'u1', []).key).toBe('answered');
  });

  it('reports ended, transferred and missed calls', () => {
    expect(describeCallUpdate(update({ event: 'ENDED' }), 'u1', []).key).toBe('ended');
    expect(describeCallUpdate(update({ event: 'TRANSFERRED', operatorId: 'u3' }), 'u1', [])).toEqual({
      key: 'transferred',
      elsewhere: true,
    });
    expect(describeCallUpdate(update({ event: 'MISSED' }), 'u1', []).key).toBe('missed');
  });
});

describe('canTake', () => {
  it('offers the call while it rings, once answered and after a transfer', () => {
    expect(canTake(undefined, [])).toBe(true);
    expect(canTake(update({ event: 'ANSWERED', operatorId: 'u2' }), [])).toBe(true);
    expect(canTake(update({ event: 'TRANSFERRED' }), [])).toBe(true);
  });

  it('never offers a missed call, even one somebody had taken', () => {
    expect(canTake(update({ event: 'MISSED' }), [])).toBe(false);
    expect(canTake(update({ event: 'MISSED' }), [{ userId: 'u2', name: '佐藤' }])).toBe(false);
  });

  it('does not offer a call that ended with nobody taking it, but does one a colleague took', () => {
    expect(canTake(update({ event: 'ENDED' }), [])).toBe(false);
    expect(canTake(update({ event: 'ENDED' }), [{ userId: 'u2', name: '佐藤' }])).toBe(true);
  });
});
