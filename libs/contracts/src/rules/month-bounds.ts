/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant local midnight starts `year-month-01` in `timeZone`. */
function localMonthStart(year: number, month: number, timeZone: string): Date {
  const naive = Date.UTC(year, month - 1, 1);
  const first = naive - offsetAt(naive, timeZone);
  // Second pass in case the offset differs on the two sides of the guess (DST zones).
  return new Date(naive - offsetAt(first, timeZone));
}

/** [start, end) of a calendar month (`YYYY-MM`) in the tenant's timezone. */
export function monthBounds(month: string, timeZone: string): { start: Date; end: Date } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new RangeError(`month must look like 2026-11, got ${month}`);
  const year = Number(match[1]);
  const m = Number(match[2]);
  return {
    start: localMonthStart(year, m, timeZone),
    end: m === 12 ? localMonthStart(year + 1, 1, timeZone) : localMonthStart(year, m + 1, timeZone),
  };
}
