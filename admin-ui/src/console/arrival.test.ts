import { describe, expect, it } from 'vitest';
import { alertsOperator } from './arrival';
import { RINGING_LIMIT_MS } from './callQueue';
import type { CallUpdate } from './popupFeed';

const now = Date.parse('2026-12-07T03:00:00.000Z');
const at = (agoMs: number) => new Date(now - agoMs).toISOString();
const popup = (agoMs: number, handledBy: { userId: string }[] = []) =>
  ({ popupId: 'p1', callId: 'c1', rangAt: at(agoMs), handledBy }) as Parameters<typeof alertsOperator>[0];
const update = (event: CallUpdate['event'], agoMs: number) =>
  ({ c1: { callId: 'c1', event, at: at(agoMs) } }) as unknown as Record<string, CallUpdate>;

describe('alertsOperator', () => {
  it('alerts for a new popup pushed live', () => {
    expect(alertsOperator(popup(1_000), { live: true, fresh: true }, {}, now)).toBe(true);
  });

  it('alerts for a new popup that came through catch-up while its call still rings', () => {
    expect(alertsOperator(popup(2_000), { live: false, fresh: true }, {}, now)).toBe(true);
  });

  it('does not alert for older calls caught up on opening the console', () => {
    expect(alertsOperator(popup(RINGING_LIMIT_MS + 1), { live: false, fresh: true }, {}, now)).toBe(false);
  });

  it('alerts once: a popup already on screen (the live push after its catch-up) does not alert again', () => {
    expect(alertsOperator(popup(1_000), { live: true, fresh: false }, {}, now)).toBe(false);
  });

  it('does not alert for a call that already stopped ringing or that a colleague took', () => {
    expect(alertsOperator(popup(2_000), { live: true, fresh: true }, update('ANSWERED', 1_000), now)).toBe(false);
    expect(alertsOperator(popup(2_000), { live: false, fresh: true }, update('MISSED', 1_000), now)).toBe(false);
    expect(alertsOperator(popup(2_000, [{ userId: 'u2' }]), { live: false, fresh: true }, {}, now)).toBe(false);
  });

  it('alerts for a transferred call ringing again here (its update is older than the popup sent again)', () => {
    expect(alertsOperator(popup(1_000), { live: true, fresh: true }, update('TRANSFERRED', 2_000), now)).toBe(true);
  });
});
