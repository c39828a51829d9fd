import { MenuItem, TextField } from '@mui/material';
import { useMemo } from 'react';
import { formatMonthJa, monthsBetween, shiftMonth } from './months';

/**
 * A month chosen from a list (2026年11月 …), never typed: value and onChange are `YYYY-MM`.
 * By default the 24 months up to `latest` (the current month unless given); `earliest` widens or
 * narrows it. Shared by usage, concurrency, invoices and contract end months.
 */
export function MonthPicker({
  label,
  value,
  onChange,
  latest,
  earliest,
  size = 'small',
  sx,
}: {
  label: string;
  value: string;
  onChange: (month: string) => void;
  /** Newest month offered, `YYYY-MM` (e.g. a month in the future for a contract's end). */
  latest: string;
  /** Oldest month offered; default 23 months before `latest`. */
  earliest?: string;
  size?: 'small' | 'medium';
  sx?: object;
}) {
  const months = useMemo(() => {
    const list = monthsBetween(earliest ?? shiftMonth(latest, -23), latest);
    // The value is always selectable, even outside the range (e.g. a month given in the address).
    return list.includes(value) || !value ? list : [value, ...list];
  }, [earliest, latest, value]);
  return (
    <TextField
      select
      label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      size={size}
      sx={{ width: 180, alignSelf: 'flex-start', ...sx }}
    >
      {months.map((m) => (
        <MenuItem key={m} value={m}>
          {formatMonthJa(m)}
        </MenuItem>
      ))}
    </TextField>
  );
}
