import { TextField } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { useTranslate } from 'react-admin';
import { request } from '../graphql/client';
import type { PopupFieldsFragment } from '../graphql/types';
import { SaveNotes } from './interactionOperations';

/** Typing pauses this long before the notes are saved. */
const SAVE_DELAY_MS = 600;

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string };

/** Call notes, saved as the operator types (debounced); disabled for nuisance calls. */
export function NotesField({ popup }: { popup: PopupFieldsFragment }) {
  const translate = useTranslate();
  const [notes, setNotes] = useState('');
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(notes);
  const disabled = !popup.notesAllowed || !popup.interactionId;

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const persist = async (interactionId: string, text: string) => {
    setSave({ kind: 'saving' });
    try {
      await request(SaveNotes, { id: interactionId, notes: text });
      // A newer keystroke may already be waiting; only the last text counts as saved.
      if (latest.current === text) setSave({ kind: 'saved' });
    } catch (err) {
      setSave({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  const onChange = (text: string) => {
    setNotes(text);
    latest.current = text;
    if (timer.current) clearTimeout(timer.current);
    const interactionId = popup.interactionId;
    if (!interactionId) return;
    timer.current = setTimeout(() => void persist(interactionId, text), SAVE_DELAY_MS);
  };

  const helper =
    popup.class === 'NUISANCE'
      ? translate('console.popup.nuisance')
      : save.kind === 'saving'
        ? translate('console.popup.saving')
        : save.kind === 'saved'
          ? translate('console.popup.saved')
          : save.kind === 'failed'
            ? translate('console.popup.saveFailed', { message: save.message })
            : translate('console.popup.notesHelp');

  return (
    <TextField
      label={translate('console.popup.notes')}
      value={notes}
      onChange={(e) => onChange(e.target.value)}
      disabled={disabled}
      multiline
      minRows={3}
      fullWidth
      margin="normal"
      error={save.kind === 'failed'}
      helperText={helper}
      slotProps={{ formHelperText: { role: 'status', 'aria-live': 'polite' } as object }}
    />
  );
}
