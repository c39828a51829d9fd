import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concurrencySeries, type UsageChange } from './concurrency-series';

const at = (iso: string) => new Date(iso);

describe('concurrencySeries', () => {
  it('keeps a burst inside a minute as that minute’s peak', () => {
    const changes: UsageChange[] = [
      { at: at('2026-11-01T00:00:10Z'), inUse: 2 },
      { at: at('2026-11-01T00:00:20Z'), inUse: 5 },
      { at: at('2026-11-01T00:00:30Z'), inUse: 1 },
      { at: at('2026-11-01T00:02:00Z'), inUse: 0 },
    ];
    const s = concurrencySeries(1, changes, at('2026-11-01T00:00:00Z'), at('2026-11-01T00:03:00Z'), 'UTC');
    expect(s.perMinute.map((m) => m.peak)).toEqual([5, 1, 1]);
    expect(s.peak).toBe(5);
  });

  it('groups days and months in the tenant’s timezone', () => {
    // 14:59 UTC is 23:59 in Tokyo on the 30th; 15:00 UTC is already 1 December there.
    const changes: UsageChange[] = [
      { at: at('2026-11-30T14:59:00Z'), inUse: 3 },
      { at: at('2026-11-30T15:00:00Z'), inUse: 7 },
      { at: at('2026-11-30T15:01:00Z'), inUse: 0 },
    ];
    const s = concurrencySeries(0, changes, at('2026-11-30T14:58:00Z'), at('2026-11-30T15:02:00Z'), 'Asia/Tokyo');
    expect(s.daily).toEqual([
      { period: '2026-11-30', peak: 3 },
      { period: '2026-12-01', peak: 7 },
    ]);
    expect(s.monthly).toEqual([
      { period: '2026-11', peak: 3 },
      { period: '2026-12', peak: 7 },
    ]);
  });

  it('applies changes before the window to the starting level', () => {
    const s = concurrencySeries(
      0,
      [{ at: at('2026-11-01T00:00:00Z'), inUse: 4 }],
      at('2026-11-01T01:00:00Z'),
      at('2026-11-01T01:02:00Z'),
      'UTC',
    );
    expect(s.perMinute.map((m) => m.peak)).toEqual([4, 4]);
  });

  // Generous timeout: the brute-force oracle is slow on a busy CI machine.
  it('matches a brute-force count at every change, and the peaks nest', { timeout: 30_000 }, () => {
    const from = at('2026-11-01T00:00:00Z');
    const minutes = 90;
    fc.assert(
      fc.property(
        fc.nat(10),
        fc.array(fc.record({ offset: fc.nat(minutes * 60_000 - 1), inUse: fc.nat(100) }), { maxLength: 60 }),
        (startLevel, raw) => {
          const changes = raw
            .map((c) => ({ at: new Date(from.getTime() + c.offset), inUse: c.inUse }))
            .sort((a, b) => a.at.getTime() - b.at.getTime());
          const s = concurrencySeries(
            startLevel,
            changes,
            from,
            new Date(from.getTime() + minutes * 60_000),
            'Asia/Tokyo',
          );
          expect(s.perMinute).toHaveLength(minutes);
          for (const [index, m] of s.perMinute.entries()) {
            const inMinute = changes.filter(
              (c) => Math.floor(c.at.getTime() / 60_000) === Math.floor(m.minute.getTime() / 60_000),
            );
            const before = changes.filter((c) => c.at.getTime() < m.minute.getTime());
            const levelAtStart = before.length ? (before[before.length - 1] as UsageChange).inUse : startLevel;
            expect(m.peak, `minute ${index}`).toBe(Math.max(levelAtStart, ...inMinute.map((c) => c.inUse)));
          }
          const maxMinute = Math.max(...s.perMinute.map((m) => m.peak));
          expect(s.peak).toBe(maxMinute);
          expect(Math.max(...s.daily.map((d) => d.peak))).toBe(maxMinute);
          expect(Math.max(...s.monthly.map((d) => d.peak))).toBe(maxMinute);
        },
      ),
    );
  });
});
