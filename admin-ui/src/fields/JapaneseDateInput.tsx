import { TextField } from '@mui/material';
import { formatDateJa } from './months';

/**
 * A date chosen on the browser's calendar, read back in Japanese under the field
 * (2026年11月3日（火）) whatever the browser's own locale shows; value is `YYYY-MM-DD` or ''.
 */
export function JapaneseDateInput({
  label,
  value,
  onChange,
  required,
  size = 'small',
}: {
  label: string;
  value: string;
  onChange: (date: string) => void;
  required?: boolean;
  size?: 'small' | 'medium';
}) {
  return (
    <TextField
      type="date"
      label={label}
      value={value}
      required={required}
      onChange={(e) => onChange(e.target.value)}
      size={size}
      helperText={value ? formatDateJa(value) : ' '}
      slotProps={{ inputLabel: { shrink: true }, htmlInput: { lang: 'ja' } }}
    />
  );
}
