import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billableDevices, billablePeriods } from './billable-seats';
import { monthBounds } from './month-bounds';

/** Registrations of devices A–D from 40 days before `start` over 120 days, open or closed. */
const arbPeriods = (start: Date) => {
  const t0 = start.getTime() - 40 * 86_400_000;
  const span = 120 * 86_400_000;
  return fc
    .array(
      fc.record({ device: fc.constantFrom('A', 'B', 'C', 'D'), from: fc.nat(span), length: fc.option(fc.nat(span)) }),
    )
    .map((raw) =>
      raw.map((r) => ({
        deviceId: r.device,
        registeredAt: new Date(t0 + r.from),
        deregisteredAt: r.length === null ? null : new Date(t0 + r.from + r.length),
      })),
    );
};

describe('monthBounds', () => {
  it('starts months at midnight in Tokyo', () => {
    expect(monthBounds('2026-11', 'Asia/Tokyo')).toEqual({
      start: new Date('2026-10-31T15:00:00Z'),
      end: new Date('2026-11-30T15:00:00Z'),
    });
    expect(monthBounds('2026-12', 'Asia/Tokyo').end).toEqual(new Date('2026-12-31T15:00:00Z'));
  });
  it('follows daylight saving time', () => {
    expect(monthBounds('2026-04', 'America/New_York')).toEqual({
      start: new Date('2026-04-01T04:00:00Z'),
      end: new Date('2026-05-01T04:00:00Z'),
    });
    expect(monthBounds('2026-11', 'America/New_York').end).toEqual(new Date('2026-12-01T05:00:00Z'));
  });
  it('refuses malformed months', () => {
    expect(() => monthBounds('2026-13', 'UTC')).toThrow(RangeError);
    expect(() => monthBounds('26-1', 'UTC')).toThrow(RangeError);
  });
});

describe('billableDevices', () => {
  const { start, end } = monthBounds('2026-11', 'Asia/Tokyo');
  const at = (iso: string) => new Date(iso);

  it('bills a PC registered for a moment of the month, once', () => {
    expect(
      billableDevices(
        [
          { deviceId: 'PC-1', registeredAt: at('2026-10-01T00:00:00Z'), deregisteredAt: at('2026-10-31T15:00:01Z') },
          { deviceId: 'PC-2', registeredAt: at('2026-11-30T14:59:59Z'), deregisteredAt: null },
          { deviceId: 'PC-3', registeredAt: at('2026-11-03T00:00:00Z'), deregisteredAt: at('2026-11-04T00:00:00Z') },
          { deviceId: 'PC-3', registeredAt: at('2026-11-05T00:00:00Z'), deregisteredAt: null },
        ],
        start,
        end,
      ),
    ).toEqual(['PC-1', 'PC-2', 'PC-3']);
  });

  it('does not bill a PC gone before the month or registered after it', () => {
    expect(
      billableDevices(
        [
          { deviceId: 'old', registeredAt: at('2026-09-01T00:00:00Z'), deregisteredAt: at('2026-10-31T15:00:00Z') },
          { deviceId: 'new', registeredAt: at('2026-11-30T15:00:00Z'), deregisteredAt: null },
        ],
        start,
        end,
      ),
    ).toEqual([]);
  });

  it('bills exactly the devices whose registration overlaps the month', () => {
    fc.assert(
      fc.property(arbPeriods(start), (periods) => {
        const billed = billableDevices(periods, start, end);
        for (const device of ['A', 'B', 'C', 'D']) {
          const overlaps = periods.some(
            (p) =>
              p.deviceId === device && p.registeredAt < end && (p.deregisteredAt === null || p.deregisteredAt > start),
          );
          expect(billed.includes(device)).toBe(overlaps);
        }
      }),
    );
  });
});

describe('billablePeriods', () => {
  const { start, end } = monthBounds('2026-11', 'Asia/Tokyo');
  const at = (iso: string) => new Date(iso);

  it('keeps every registration of the month, oldest first, with its dates', () => {
    const periods = [
      { deviceId: 'PC-3', registeredAt: at('2026-11-05T00:00:00Z'), deregisteredAt: null },
      { deviceId: 'gone', registeredAt: at('2026-09-01T00:00:00Z'), deregisteredAt: at('2026-10-31T15:00:00Z') },
      { deviceId: 'PC-3', registeredAt: at('2026-11-03T00:00:00Z'), deregisteredAt: at('2026-11-04T00:00:00Z') },
      { deviceId: 'PC-1', registeredAt: at('2026-10-01T00:00:00Z'), deregisteredAt: at('2026-11-20T00:00:00Z') },
      { deviceId: 'later', registeredAt: at('2026-11-30T15:00:00Z'), deregisteredAt: null },
    ];
    expect(billablePeriods(periods, start, end)).toEqual([periods[3], periods[2], periods[0]]);
  });

  it('names exactly the billed devices, each at least once', () => {
    fc.assert(
      fc.property(arbPeriods(start), (periods) => {
        const kept = billablePeriods(periods, start, end);
        expect([...new Set(kept.map((p) => p.deviceId))].sort()).toEqual(billableDevices(periods, start, end));
        const times = kept.map((p) => p.registeredAt.getTime());
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }),
    );
  });
});
