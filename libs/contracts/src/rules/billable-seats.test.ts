import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billableDevices, billableDevicesInMonth, billablePeriods, registeredDuring } from './billable-seats';
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
              p.deviceId === device &&
              p.registeredAt < end &&
              (p.deregisteredAt === null || (p.deregisteredAt > start && p.deregisteredAt > p.registeredAt)),
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

describe('the month boundary (half-open)', () => {
  const { start, end } = monthBounds('2026-11', 'Asia/Tokyo');
  const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

  it('does not bill a seat deregistered exactly at 00:00 on the 1st, bills one a millisecond later', () => {
    const before = new Date('2026-10-01T00:00:00Z');
    expect(registeredDuring({ deviceId: 'A', registeredAt: before, deregisteredAt: start }, start, end)).toBe(false);
    expect(registeredDuring({ deviceId: 'A', registeredAt: before, deregisteredAt: ms(start, 1) }, start, end)).toBe(
      true,
    );
  });

  it('bills a seat registered exactly at 00:00 on the 1st, not one registered at 00:00 of the next month', () => {
    expect(registeredDuring({ deviceId: 'A', registeredAt: start, deregisteredAt: null }, start, end)).toBe(true);
    expect(registeredDuring({ deviceId: 'A', registeredAt: end, deregisteredAt: null }, start, end)).toBe(false);
    expect(registeredDuring({ deviceId: 'A', registeredAt: ms(end, -1), deregisteredAt: null }, start, end)).toBe(true);
  });

  it('counts the month in the tenant’s zone', () => {
    // 2026-10-31T16:00Z is November in Tokyo and still October in UTC.
    const periods = [
      {
        deviceId: 'A',
        registeredAt: new Date('2026-10-01T00:00:00Z'),
        deregisteredAt: new Date('2026-10-31T16:00:00Z'),
      },
    ];
    expect(billableDevicesInMonth(periods, '2026-11', 'Asia/Tokyo')).toEqual(['A']);
    expect(billableDevicesInMonth(periods, '2026-11', 'UTC')).toEqual([]);
  });

  it('bills a PC deregistered and registered again any number of times in the month once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(29 * 86_400_000), fc.nat(86_400_000)), { minLength: 1, maxLength: 8 }),
        (spans) => {
          // Back-to-back registrations of one device inside the month, as deregister + register makes them.
          let t = start.getTime();
          const periods = spans.map(([gap, len]) => {
            const from = Math.min(t + (gap % 86_400_000), end.getTime() - 2);
            t = Math.min(from + len + 1, end.getTime() - 1);
            return { deviceId: 'PC', registeredAt: new Date(from), deregisteredAt: new Date(t) };
          });
          expect(billableDevices(periods, start, end)).toEqual(['PC']);
        },
      ),
    );
  });

  it('agrees with a minute-by-minute reading of the month', () => {
    // Independent oracle: a device is billed iff some instant of the month has it registered.
    const day = 86_400_000;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            device: fc.constantFrom('A', 'B'),
            from: fc.integer({ min: -3, max: 33 }),
            days: fc.option(fc.integer({ min: 0, max: 5 })),
          }),
        ),
        (raw) => {
          const periods = raw.map((r) => ({
            deviceId: r.device,
            registeredAt: new Date(start.getTime() + r.from * day),
            deregisteredAt: r.days === null ? null : new Date(start.getTime() + (r.from + r.days) * day),
          }));
          const oracle = new Set<string>();
          for (let t = start.getTime(); t < end.getTime(); t += day / 2) {
            for (const p of periods) {
              const on = p.registeredAt.getTime() <= t && (p.deregisteredAt === null || p.deregisteredAt.getTime() > t);
              if (on) oracle.add(p.deviceId);
            }
          }
          expect(billableDevices(periods, start, end)).toEqual([...oracle].sort());
        },
      ),
    );
  });
});
