/** Daily peaks as bars, with the contracted capacity as a line; plain SVG, labelled for screen readers. */
export function PeakChart({
  peaks,
  capacity,
  title,
}: {
  peaks: { period: string; peak: number }[];
  capacity: number;
  title: string;
}) {
  const width = 640;
  const height = 200;
  const pad = 24;
  const max = Math.max(capacity, ...peaks.map((p) => p.peak), 1);
  const barWidth = peaks.length ? (width - pad * 2) / peaks.length : 0;
  const y = (v: number) => height - pad - (v / max) * (height - pad * 2);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} style={{ width: '100%', maxWidth: width }}>
      <title>{title}</title>
      {peaks.map((p, i) => (
        <rect
          key={p.period}
          x={pad + i * barWidth + 1}
          y={y(p.peak)}
          width={Math.max(1, barWidth - 2)}
          height={height - pad - y(p.peak)}
          fill="#1976d2"
        >
          <title>{`${p.period}: ${p.peak}`}</title>
        </rect>
      ))}
      <line x1={pad} x2={width - pad} y1={y(capacity)} y2={y(capacity)} stroke="#d32f2f" strokeDasharray="4 3" />
      <text x={width - pad} y={y(capacity) - 4} textAnchor="end" fontSize="12" fill="#d32f2f">
        {capacity}
      </text>
      <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} stroke="#999" />
      {peaks.length > 0 && (
        <>
          <text x={pad} y={height - 6} fontSize="11">
            {peaks[0]?.period}
          </text>
          <text x={width - pad} y={height - 6} fontSize="11" textAnchor="end">
            {peaks[peaks.length - 1]?.period}
          </text>
        </>
      )}
    </svg>
  );
}
