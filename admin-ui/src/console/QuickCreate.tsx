import { Box, Button, Stack, TextField, Typography } from '@mui/material';
import { type FormEvent, useRef, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { request } from '../graphql/client';
import { CreateUnknownCaller } from './operations';
import { phoneProblem } from './phoneRule';

/**
 * Registers an unknown caller during the call, with the calling number already filled in. The
 * number is checked as a customer write checks it (phoneRule.ts); one request at a time, so a
 * double click creates one customer; once saved, the popup shows the customer instead of this form.
 */
export function QuickCreate({
  phone,
  onCreated,
}: {
  phone: string;
  onCreated: (customer: { id: string; name: string }) => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const [name, setName] = useState('');
  const [kana, setKana] = useState('');
  const [number, setNumber] = useState(phone);
  const [saving, setSaving] = useState(false);
  const [touched, setTouched] = useState(false);
  // A second submit before React re-renders the disabled button still finds the request in flight.
  const inFlight = useRef(false);
  const problem = phoneProblem(number);
  const showProblem = problem !== null && (touched || number !== phone);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (inFlight.current || problem || !name.trim()) return;
    inFlight.current = true;
    setSaving(true);
    let created: { id: string; name: string } | null = null;
    try {
      const { createCustomer } = await request(CreateUnknownCaller, {
        input: { name: name.trim(), nameKana: kana.trim() || null, phones: [{ number: number.trim(), type: 'OTHER' }] },
      });
      created = createCustomer;
      notify(translate('console.popup.quickCreated', { name: createCustomer.name }), { type: 'success' });
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
    // Closes the form: the popup shows the registered customer from now on.
    if (created) onCreated(created);
  };

  return (
    <Box component="form" onSubmit={submit} sx={{ my: 1 }} aria-label={translate('console.popup.quickCreate')}>
      <Typography variant="h6" component="h3">
        {translate('console.popup.unknown')} — {translate('console.popup.quickCreate')}
      </Typography>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
        <TextField
          label={translate('console.popup.quickCreateName')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          size="small"
        />
        <TextField
          label={translate('console.popup.quickCreateKana')}
          value={kana}
          onChange={(e) => setKana(e.target.value)}
          size="small"
        />
        <TextField
          label={translate('console.popup.quickCreatePhone')}
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          onBlur={() => setTouched(true)}
          required
          size="small"
          error={showProblem}
          helperText={showProblem ? translate(`console.popup.phoneProblem.${problem}`) : undefined}
          slotProps={{ htmlInput: { inputMode: 'tel', 'aria-invalid': showProblem } }}
        />
        <Button
          type="submit"
          variant="outlined"
          disabled={saving || !name.trim() || problem !== null}
          sx={{ whiteSpace: 'nowrap', flexShrink: 0, alignSelf: 'flex-start' }}
        >
          {translate('console.popup.quickCreateSave')}
        </Button>
      </Stack>
    </Box>
  );
}
