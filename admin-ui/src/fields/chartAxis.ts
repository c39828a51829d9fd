/** Axis helpers for the plain-SVG charts (usage per day, concurrent connections): pure, unit-tested. */

/** Round tick values from 0 to at least `max` (1, 2 or 5 × 10^n apart), at most about `count` + 1 of them. */
export function niceTicks(max: number, count = 4): number[] {
  const top = Math.max(1, Math.ceil(max));
  const raw = top / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  const ticks: number[] = [];
  for (let v = 0; v < top + step; v += step) {
    ticks.push(v);
    if (v >= top) break;
  }
  return ticks;
}

/**
 * Which of `n` day slots get a label so that labels do not overlap in `width` px (`minGap` each):
 * every day when they fit, else the 1st and every k-th day after it.
 */
export function labelledDays(n: number, width: number, minGap = 22): number[] {
  if (n <= 0) return [];
  const every = Math.max(1, Math.ceil((minGap * n) / Math.max(1, width)));
  const step = every === 1 ? 1 : ([2, 5, 7, 10, 14].find((s) => s >= every) ?? every);
  const out: number[] = [];
  for (let i = 0; i < n; i += step) out.push(i);
  return out;
}

/** "11/3" for `2026-11-03`: the short day label under a bar. */
export const dayLabel = (date: string): string => {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${Number(m[1])}/${Number(m[2])}` : date;
};

/** "3" for `2026-11-03`: the day of the month, when the month is shown elsewhere. */
export const dayOfMonth = (date: string): string => String(Number(date.slice(8, 10)));
