import { dayLabel, dayOfMonth, labelledDays, niceTicks } from '../fields/chartAxis';

/**
 * Daily peaks as bars over every day of the period, a count axis with grid lines, a day axis, the
 * contracted capacity (red dashes) and, when it differs, the recommended capacity (green dashes).
 */
export function PeakChart({
  days,
  peaks,
  capacity,
  recommended,
  title,
  labels,
}: {
  /** Every day shown, `YYYY-MM-DD`. */
  days: string[];
  peaks: { period: string; peak: number }[];
  capacity: number;
  recommended: number;
  title: string;
  labels: { capacity: string; recommended: string; axisDay: string };
}) {
  const width = 720;
  const height = 240;
  const left = 40;
  const right = 120;
  const top = 12;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const byDay = new Map(peaks.map((p) => [p.period, p.peak]));
  const ticks = niceTicks(Math.max(capacity, recommended, ...peaks.map((p) => p.peak)));
  const max = ticks[ticks.length - 1] ?? 1;
  const bar = days.length ? plotW / days.length : 0;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  // Within one month the day of the month says it all; across a month end each label names its month (11/30, 12/1).
  const oneMonth = days.length > 0 && days[0]?.slice(0, 7) === days[days.length - 1]?.slice(0, 7);
  const label = oneMonth ? dayOfMonth : dayLabel;
  const shown = new Set(labelledDays(days.length, plotW, oneMonth ? 20 : 34));
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} style={{ width: '100%', maxWidth: width }}>
      <title>{title}</title>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={left} x2={left + plotW} y1={y(t)} y2={y(t)} stroke="#e0e0e0" />
          <text x={left - 6} y={y(t) + 4} fontSize="11" textAnchor="end" fill="#555">
            {t}
          </text>
        </g>
      ))}
      {days.map((d, i) => {
        const peak = byDay.get(d) ?? 0;
        return (
          <g key={d}>
            {peak > 0 && (
              <rect
                x={left + i * bar + 1}
                y={y(peak)}
                width={Math.max(1, bar - 2)}
                height={y(0) - y(peak)}
                fill="#1976d2"
              >
                <title>{`${d}: ${peak}`}</title>
              </rect>
            )}
            {shown.has(i) && (
              <text x={left + i * bar + bar / 2} y={height - bottom + 14} fontSize="11" textAnchor="middle" fill="#555">
                {label(d)}
              </text>
            )}
          </g>
        );
      })}
      <line x1={left} x2={left + plotW} y1={y(capacity)} y2={y(capacity)} stroke="#d32f2f" strokeDasharray="4 3" />
      <text x={left + plotW + 4} y={y(capacity) + 4} fontSize="11" fill="#d32f2f">
        {`${labels.capacity} ${capacity}`}
      </text>
      {recommended !== capacity && (
        <>
          <line
            x1={left}
            x2={left + plotW}
            y1={y(recommended)}
            y2={y(recommended)}
            stroke="#2e7d32"
            strokeDasharray="2 3"
          />
          <text x={left + plotW + 4} y={y(recommended) + 4} fontSize="11" fill="#2e7d32">
            {`${labels.recommended} ${recommended}`}
          </text>
        </>
      )}
      <line x1={left} x2={left + plotW} y1={y(0)} y2={y(0)} stroke="#999" />
      <text x={left + plotW / 2} y={height - 6} fontSize="11" textAnchor="middle" fill="#555">
        {labels.axisDay}
      </text>
    </svg>
  );
}
