import AddIcon from '@mui/icons-material/Add';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  MenuItem,
  TextField as MuiTextField,
  Stack,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useCallback, useEffect, useId, useState } from 'react';
import { Title, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { formatDateTime } from '../../format/date';
import { request } from '../../graphql/client';
import type { LookupSourceFieldsFragment, LookupSourceKind, TryLookupSourceMutation } from '../../graphql/types';
import { LookupCards } from './LookupCards';
import {
  CreateLookupSource,
  DeleteLookupSource,
  LookupSources,
  TryLookupSource,
  UpdateLookupSource,
} from './operations';
import { emptySource, formOf, notesModes, type SourceFormValues, sourceInput } from './sourceForm';

const kinds: LookupSourceKind[] = ['HTTPS', 'KINTONE', 'FILEMAKER'];
const t = (key: string) => `resources.lookupSources.${key}`;
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * 参照先 (Integration plan, docs/product-rules.md §9): the tenant's own databases asked during the
 * ring. Tenant admins list them with their state (last success, last error in Japanese, paused after
 * repeated failures), add and edit them with the kind's fields, delete them, and try a number to
 * see the card that would pop. Credentials are write-only: the form never shows a stored one.
 */
export function LookupSourcesPage() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const [sources, setSources] = useState<LookupSourceFieldsFragment[] | null>(null);
  const [editing, setEditing] = useState<{ id: string | null; values: SourceFormValues } | null>(null);
  const [trying, setTrying] = useState<LookupSourceFieldsFragment | null>(null);
  const [deleting, setDeleting] = useState<LookupSourceFieldsFragment | null>(null);
  const [signingSecret, setSigningSecret] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setSources((await request(LookupSources, {})).lookupSources);
    } catch (err) {
      notify(errorText(err), { type: 'error' });
      setSources([]);
    }
  }, [notify]);
  useEffect(() => {
    void load();
  }, [load]);

  const remove = async () => {
    if (!deleting) return;
    try {
      await request(DeleteLookupSource, { id: deleting.id });
      notify(t('deleted'), { type: 'info', messageArgs: { name: deleting.name } });
    } catch (err) {
      notify(errorText(err), { type: 'error' });
    }
    setDeleting(null);
    await load();
  };

  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate(t('name'))} />
      <Card>
        <CardContent>
          <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
            <Typography variant="h6" component="h2">
              {translate(t('name'))}
            </Typography>
            <Button
              variant="contained"
              startIcon={<AddIcon />}
              onClick={() => setEditing({ id: null, values: emptySource() })}
            >
              {translate(t('create'))}
            </Button>
          </Stack>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate(t('help'))}
          </Typography>
          {signingSecret && (
            <Alert severity="warning" role="alert" sx={{ mb: 2 }} onClose={() => setSigningSecret(null)}>
              <AlertTitle>{translate(t('signingSecretOnce'))}</AlertTitle>
              <MuiTextField
                label={translate(t('signingSecret'))}
                value={signingSecret}
                fullWidth
                slotProps={{ htmlInput: { readOnly: true, 'data-testid': 'lookup-signing-secret' } }}
                onFocus={(e) => e.target.select()}
                sx={{ mt: 1 }}
              />
            </Alert>
          )}
          {sources !== null && sources.length === 0 && <Typography variant="body2">{translate(t('empty'))}</Typography>}
          {sources !== null && sources.length > 0 && (
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="lookup-sources">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate(t('fields.name'))}</TableCell>
                    <TableCell>{translate(t('fields.kind'))}</TableCell>
                    <TableCell>{translate(t('fields.budgetMs'))}</TableCell>
                    <TableCell>{translate(t('fields.status'))}</TableCell>
                    <TableCell />
                  </TableRow>
                </TableHead>
                <TableBody>
                  {sources.map((s) => (
                    <TableRow key={s.id} data-testid="lookup-source">
                      <TableCell>{s.name}</TableCell>
                      <TableCell>{translate(t(`kinds.${s.kind}`))}</TableCell>
                      <TableCell>{translate(t('ms'), { ms: s.budgetMs })}</TableCell>
                      <TableCell>
                        <Status source={s} locale={locale} />
                      </TableCell>
                      <TableCell>
                        <Stack direction="row" spacing={1}>
                          <Button
                            size="small"
                            onClick={() => setTrying(s)}
                            aria-label={`${translate(t('try'))}: ${s.name}`}
                          >
                            {translate(t('try'))}
                          </Button>
                          <Button
                            size="small"
                            onClick={() => setEditing({ id: s.id, values: formOf(s) })}
                            aria-label={`${translate('ra.action.edit')}: ${s.name}`}
                          >
                            {translate('ra.action.edit')}
                          </Button>
                          <Button
                            size="small"
                            color="error"
                            onClick={() => setDeleting(s)}
                            aria-label={`${translate('ra.action.delete')}: ${s.name}`}
                          >
                            {translate('ra.action.delete')}
                          </Button>
                        </Stack>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}
        </CardContent>
      </Card>
      {editing && (
        <SourceDialog
          id={editing.id}
          initial={editing.values}
          onClose={() => setEditing(null)}
          onSaved={async (secret) => {
            setEditing(null);
            if (secret) setSigningSecret(secret);
            await load();
          }}
        />
      )}
      {trying && <TryDialog source={trying} onClose={() => setTrying(null)} onTried={load} />}
      <Dialog open={deleting !== null} onClose={() => setDeleting(null)}>
        <DialogTitle>{translate(t('deleteTitle'))}</DialogTitle>
        <DialogContent>
          <Typography>{translate(t('deleteConfirm'), { name: deleting?.name ?? '' })}</Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleting(null)}>{translate('ra.action.cancel')}</Button>
          <Button color="error" variant="contained" onClick={() => void remove()}>
            {translate('ra.action.delete')}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}

function Status({ source, locale }: { source: LookupSourceFieldsFragment; locale: string }) {
  const translate = useTranslate();
  return (
    <Stack spacing={0.5} data-testid="lookup-status">
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }}>
        {!source.enabled && <Chip size="small" label={translate(t('disabled'))} />}
        {source.circuitOpen && <Chip size="small" color="error" label={translate(t('circuitOpen'))} />}
      </Stack>
      <Typography variant="body2">
        {source.lastOkAt
          ? translate(t('lastOk'), { time: formatDateTime(source.lastOkAt, locale) })
          : translate(t('neverOk'))}
      </Typography>
      {source.lastError && (
        <Typography variant="body2" color="error">
          {translate(t('lastError'), {
            time: formatDateTime(source.lastError.at ?? null, locale),
            message: source.lastError.message,
          })}
          {source.lastError.detail ? `（${source.lastError.detail}）` : ''}
        </Typography>
      )}
    </Stack>
  );
}

/** Add or edit a source: the fields of its kind only; the kind is chosen once, at creation. */
function SourceDialog({
  id,
  initial,
  onClose,
  onSaved,
}: {
  id: string | null;
  initial: SourceFormValues;
  onClose: () => void;
  onSaved: (signingSecret: string | null) => Promise<void>;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const titleId = useId();
  const [v, setV] = useState(initial);
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof SourceFormValues>(key: K) =>
    (e: { target: { value: string } }) =>
      setV((old) => ({ ...old, [key]: e.target.value as SourceFormValues[K] }));
  const text = (key: keyof SourceFormValues, label: string, extra: Record<string, unknown> = {}) => (
    <MuiTextField
      label={translate(t(label))}
      value={v[key] as string}
      onChange={set(key)}
      fullWidth
      size="small"
      {...extra}
    />
  );

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const input = sourceInput(v);
      if (id) {
        await request(UpdateLookupSource, { id, input });
        notify(t('saved'), { type: 'info', messageArgs: { name: input.name } });
        await onSaved(null);
      } else {
        const { createLookupSource } = await request(CreateLookupSource, { input });
        notify(t('saved'), { type: 'info', messageArgs: { name: input.name } });
        await onSaved(createLookupSource.signingSecret ?? null);
      }
    } catch (err) {
      notify(errorText(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const kind = v.kind;
  const mode = v.notesMode;
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <DialogTitle id={titleId}>{translate(t(id ? 'editTitle' : 'create'))}</DialogTitle>
      <Box component="form" onSubmit={save}>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <MuiTextField
              select
              label={translate(t('fields.kind'))}
              value={kind}
              disabled={id !== null}
              onChange={(e) =>
                setV((old) => ({
                  ...old,
                  kind: e.target.value as LookupSourceKind,
                  notesMode: notesModes[e.target.value as LookupSourceKind].includes(old.notesMode)
                    ? old.notesMode
                    : 'NONE',
                }))
              }
              size="small"
              helperText={translate(t(`kindHelp.${kind}`))}
            >
              {kinds.map((k) => (
                <MenuItem key={k} value={k}>
                  {translate(t(`kinds.${k}`))}
                </MenuItem>
              ))}
            </MuiTextField>
            {text('name', 'fields.name', { required: true })}
            <FormControlLabel
              control={
                <Switch checked={v.enabled} onChange={(e) => setV((o) => ({ ...o, enabled: e.target.checked }))} />
              }
              label={translate(t('fields.enabled'))}
            />
            {text('endpoint', `endpoint.${kind}`, {
              required: true,
              type: 'url',
              placeholder: translate(t(`endpointExample.${kind}`)),
            })}
            {text('budgetMs', 'fields.budgetMs', {
              type: 'number',
              helperText: translate(t('budgetHelp')),
              slotProps: { htmlInput: { min: 50, max: 1000, step: 10 } },
            })}
            {kind === 'KINTONE' && text('appId', 'fields.appId', { required: true })}
            {kind === 'FILEMAKER' && (
              <>
                {text('database', 'fields.database', { required: true })}
                {text('layout', 'fields.layout', { required: true })}
                {text('account', 'fields.account', { required: true })}
              </>
            )}
            {kind !== 'HTTPS' &&
              text('secret', kind === 'KINTONE' ? 'fields.apiToken' : 'fields.password', {
                type: 'password',
                autoComplete: 'new-password',
                required: id === null,
                helperText: translate(t(id === null ? 'secretHelp' : 'secretKept')),
              })}
            {kind === 'HTTPS' && id === null && (
              <Typography variant="body2" color="text.secondary">
                {translate(t('httpsSecretHelp'))}
              </Typography>
            )}
            {kind !== 'HTTPS' && (
              <>
                {text('phoneFields', 'fields.phoneFields', {
                  required: true,
                  multiline: true,
                  minRows: 1,
                  helperText: translate(t('phoneFieldsHelp')),
                })}
                {text('titleField', 'fields.titleField')}
                {text('displayFields', 'fields.displayFields', {
                  multiline: true,
                  minRows: 2,
                  helperText: translate(t('displayFieldsHelp')),
                })}
              </>
            )}
            <MuiTextField
              select
              label={translate(t('fields.notesMode'))}
              value={mode}
              onChange={set('notesMode')}
              size="small"
              helperText={translate(t('notesHelp'))}
            >
              {notesModes[kind].map((m) => (
                <MenuItem key={m} value={m}>
                  {translate(t(`notesModes.${m}`))}
                </MenuItem>
              ))}
            </MuiTextField>
            {(mode === 'TABLE_ROW' || mode === 'RELATED_RECORD') &&
              text('notesTarget', mode === 'TABLE_ROW' ? 'fields.subtable' : 'fields.notesLayout', { required: true })}
            {mode === 'RELATED_RECORD' && text('notesKeyField', 'fields.keyField', { required: true })}
            {(mode === 'TABLE_ROW' || mode === 'RELATED_RECORD') && (
              <>
                {text('notesTextField', 'fields.textField', { required: true })}
                {text('notesOutcomeField', 'fields.outcomeField')}
                {text('notesAtField', 'fields.atField')}
              </>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
          <Button type="submit" variant="contained" disabled={busy}>
            {translate('ra.action.save')}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}

/** 「番号で試す」: asks the source now and shows the card that would pop, how long it took and any error. */
function TryDialog({
  source,
  onClose,
  onTried,
}: {
  source: LookupSourceFieldsFragment;
  onClose: () => void;
  onTried: () => Promise<void>;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const titleId = useId();
  const [number, setNumber] = useState('');
  const [line, setLine] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TryLookupSourceMutation['tryLookupSource'] | null>(null);
  const tryIt = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const answer = await request(TryLookupSource, {
        id: source.id,
        number,
        line: line.trim() ? line.trim() : null,
      });
      setResult(answer.tryLookupSource);
      await onTried();
    } catch (err) {
      notify(errorText(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>{translate(t('tryTitle'), { name: source.name })}</DialogTitle>
      <DialogContent>
        <Box component="form" onSubmit={tryIt} sx={{ pt: 1 }}>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            <MuiTextField
              label={translate(t('tryNumber'))}
              value={number}
              onChange={(e) => setNumber(e.target.value)}
              required
              size="small"
              placeholder="090-1234-5678"
            />
            <MuiTextField
              label={translate(t('tryLine'))}
              value={line}
              onChange={(e) => setLine(e.target.value)}
              size="small"
            />
            <Button type="submit" variant="contained" disabled={busy}>
              {translate(t('try'))}
            </Button>
          </Stack>
        </Box>
        {result && (
          <Box sx={{ mt: 2 }} data-testid="lookup-try-result" role="status">
            <Typography variant="body2" color={result.withinBudget ? 'text.secondary' : 'warning.main'}>
              {translate(t(result.withinBudget ? 'tryElapsed' : 'tryLate'), {
                ms: result.elapsedMs,
                budget: source.budgetMs,
              })}
            </Typography>
            {result.error && (
              <Alert severity="error" sx={{ mt: 1 }}>
                {result.error.message}
                {result.error.detail ? `（${result.error.detail}）` : ''}
              </Alert>
            )}
            {!result.error && result.cards.length === 0 && (
              <Typography variant="body2" sx={{ mt: 1 }}>
                {translate(t('tryNothing'))}
              </Typography>
            )}
            <LookupCards cards={result.cards} />
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}
