/** A change in a tenant's number of live leases: `inUse` is the count right after it. */
export interface UsageChange {
  at: Date;
  inUse: number;
}

export interface MinutePeak {
  /** Start of the minute. */
  minute: Date;
  peak: number;
}

export interface PeriodPeak {
  /** `YYYY-MM-DD` (daily) or `YYYY-MM` (monthly), in the tenant's timezone. */
  period: string;
  peak: number;
}

export interface ConcurrencySeries {
  perMinute: MinutePeak[];
  daily: PeriodPeak[];
  monthly: PeriodPeak[];
  peak: number;
}

const MINUTE = 60_000;

/**
 * Concurrent use per minute over [from, to): the highest count reached during each minute,
 * so a burst between two samples is never lost. Days and months are the tenant's.
 * `startLevel` is the count in force at `from`; `changes` must be sorted by time.
 */
export function concurrencySeries(
  startLevel: number,
  changes: readonly UsageChange[],
  from: Date,
  to: Date,
  timeZone: string,
): ConcurrencySeries {
  const first = Math.floor(from.getTime() / MINUTE) * MINUTE;
  const end = to.getTime();
  const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const perMinute: MinutePeak[] = [];
  const daily = new Map<string, number>();
  let level = startLevel;
  let i = 0;
  while (i < changes.length && (changes[i] as UsageChange).at.getTime() < first)
    level = (changes[i++] as UsageChange).inUse;
  let overall = 0;
  for (let start = first; start < end; start += MINUTE) {
    let peak = level;
    while (i < changes.length && (changes[i] as UsageChange).at.getTime() < start + MINUTE) {
      level = (changes[i++] as UsageChange).inUse;
      peak = Math.max(peak, level);
    }
    perMinute.push({ minute: new Date(start), peak });
    const day = dayOf.format(start);
    daily.set(day, Math.max(daily.get(day) ?? 0, peak));
    overall = Math.max(overall, peak);
  }
  const monthly = new Map<string, number>();
  for (const [day, peak] of daily) {
    const month = day.slice(0, 7);
    monthly.set(month, Math.max(monthly.get(month) ?? 0, peak));
  }
  const list = (m: Map<string, number>) => [...m].map(([period, peak]) => ({ period, peak }));
  return { perMinute, daily: list(daily), monthly: list(monthly), peak: overall };
}
