import { Box, Button, Stack, TextField, Typography } from '@mui/material';
import { type FormEvent, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { request } from '../graphql/client';
import { CreateUnknownCaller } from './operations';

/** Registers an unknown caller during the call, with the calling number already filled in. */
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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    try {
      const { createCustomer } = await request(CreateUnknownCaller, {
        input: { name, nameKana: kana || null, phones: [{ number, type: 'OTHER' }] },
      });
      notify(translate('console.popup.quickCreated', { name: createCustomer.name }), { type: 'success' });
      onCreated(createCustomer);
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setSaving(false);
    }
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
          required
          size="small"
        />
        <Button type="submit" variant="outlined" disabled={saving || !name}>
          {translate('console.popup.quickCreateSave')}
        </Button>
      </Stack>
    </Box>
  );
}
