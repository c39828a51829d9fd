import { Typography } from '@mui/material';
import { type FieldProps, useFieldValue } from 'react-admin';
import { formatYen } from '../format/yen';

/** Integer yen as ¥1,234. */
export function YenField(props: FieldProps) {
  const value = useFieldValue(props) as number | null | undefined;
  return (
    <Typography component="span" variant="body2">
      {formatYen(value)}
    </Typography>
  );
}
