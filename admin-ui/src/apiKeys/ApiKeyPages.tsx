import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField as MuiTextField,
  Stack,
  Typography,
} from '@mui/material';
import { useId, useState } from 'react';
import {
  CreateButton,
  Datagrid,
  DeleteWithConfirmButton,
  FunctionField,
  List,
  TextField,
  Title,
  TopToolbar,
  useDataProvider,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRedirect,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { scrollableTable } from '../fields/scrollableTable';
import { formatDateTime } from '../format/date';
import { request } from '../graphql/client';
import { RotateWebhookKey } from './operations';

interface KeyRow {
  id: string;
  keyId: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
  secrets: { prefix: string; createdAt: string; expiresAt: string | null }[];
}

/** A new secret, shown this once with a copy button; `children` are the actions after it. */
function SecretOnce({ keyId, secret, children }: { keyId: string; secret: string; children: React.ReactNode }) {
  const translate = useTranslate();
  const notify = useNotify();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      notify('resources.webhookKeys.copied', { type: 'info' });
    } catch {
      notify('resources.webhookKeys.copyFailed', { type: 'warning' });
    }
  };
  return (
    <Stack spacing={2}>
      <Alert severity="warning" role="alert">
        <AlertTitle>{translate('resources.webhookKeys.secretOnce')}</AlertTitle>
        {translate('resources.webhookKeys.secretHelp')}
      </Alert>
      <Typography variant="body2">
        {translate('resources.webhookKeys.fields.keyId')}: <code data-testid="webhook-key-id">{keyId}</code>
      </Typography>
      <MuiTextField
        label={translate('resources.webhookKeys.secret')}
        value={secret}
        slotProps={{ htmlInput: { readOnly: true, 'data-testid': 'webhook-secret' } }}
        fullWidth
        onFocus={(e) => e.target.select()}
      />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
        <Button variant="outlined" startIcon={<ContentCopyIcon />} onClick={copy}>
          {translate('resources.webhookKeys.copy')}
        </Button>
        {children}
      </Stack>
    </Stack>
  );
}

/**
 * Adds a new secret to a key; the current one stays accepted for the grace period, so the
 * PBX can be switched over without refused calls. The new secret is shown once.
 */
function RotateButton() {
  const key = useRecordContext<KeyRow>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [graceHours, setGraceHours] = useState('24');
  const [busy, setBusy] = useState(false);
  const [rotated, setRotated] = useState<string | null>(null);
  if (!key || key.revokedAt) return null;
  const name = key.label ?? key.keyId;
  const rotate = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const { rotateWebhookKey } = await request(RotateWebhookKey, {
        keyId: key.keyId,
        graceHours: Number(graceHours),
      });
      setRotated(rotateWebhookKey.secret);
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setOpen(false);
    setRotated(null);
    refresh();
  };
  return (
    <>
      <Button
        size="small"
        onClick={() => setOpen(true)}
        aria-label={`${translate('resources.webhookKeys.rotate')}: ${name}`}
      >
        {translate('resources.webhookKeys.rotate')}
      </Button>
      <Dialog open={open} onClose={rotated ? undefined : close} aria-labelledby={titleId} fullWidth maxWidth="sm">
        <DialogTitle id={titleId}>{translate('resources.webhookKeys.rotateTitle', { name })}</DialogTitle>
        <DialogContent>
          {rotated ? (
            <SecretOnce keyId={key.keyId} secret={rotated}>
              <Button variant="contained" onClick={close}>
                {translate('resources.webhookKeys.done')}
              </Button>
            </SecretOnce>
          ) : (
            <Box component="form" onSubmit={rotate} sx={{ pt: 1 }}>
              <Typography variant="body2" sx={{ mb: 2 }}>
                {translate('resources.webhookKeys.rotateHelp')}
              </Typography>
              <MuiTextField
                label={translate('resources.webhookKeys.graceHours')}
                type="number"
                value={graceHours}
                onChange={(e) => setGraceHours(e.target.value)}
                slotProps={{ htmlInput: { min: 0, max: 720, step: 1 } }}
                required
              />
              <DialogActions sx={{ px: 0 }}>
                <Button onClick={close}>{translate('ra.action.cancel')}</Button>
                <Button type="submit" variant="contained" disabled={busy}>
                  {translate('resources.webhookKeys.rotateSubmit')}
                </Button>
              </DialogActions>
            </Box>
          )}
        </DialogContent>
      </Dialog>
    </>
  );
}

function RevokeButton() {
  const key = useRecordContext<KeyRow>();
  const translate = useTranslate();
  if (!key || key.revokedAt) return null;
  const name = key.label ?? key.keyId;
  return (
    <DeleteWithConfirmButton
      label="resources.webhookKeys.revoke"
      aria-label={`${translate('resources.webhookKeys.revoke')}: ${name}`}
      confirmTitle="resources.webhookKeys.revokeTitle"
      confirmContent={translate('resources.webhookKeys.revokeConfirm', { name })}
      successMessage="resources.webhookKeys.revoked"
      mutationMode="pessimistic"
      redirect={false}
    />
  );
}

/** Webhook (API) keys: only the first characters of each secret are ever shown after creation. */
export function ApiKeyList() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <List
      exporter={false}
      pagination={false}
      sort={{ field: 'createdAt', order: 'DESC' }}
      actions={
        <TopToolbar>
          <CreateButton label="resources.webhookKeys.create" />
        </TopToolbar>
      }
    >
      <Datagrid sx={scrollableTable} bulkActionButtons={false} rowClick={false} data-testid="webhook-keys">
        <TextField source="label" emptyText="—" />
        <TextField source="keyId" />
        <FunctionField<KeyRow>
          source="secrets"
          sortable={false}
          render={(r) =>
            r.secrets.length === 0
              ? '—'
              : r.secrets
                  .map((s) =>
                    s.expiresAt
                      ? translate('resources.webhookKeys.prefixExpiring', {
                          prefix: s.prefix,
                          time: formatDateTime(s.expiresAt, locale),
                        })
                      : `${s.prefix}…`,
                  )
                  .join('、')
          }
        />
        <FunctionField<KeyRow> source="createdAt" render={(r) => formatDateTime(r.createdAt, locale)} />
        <FunctionField<KeyRow>
          source="revokedAt"
          label="resources.webhookKeys.fields.status"
          render={(r) =>
            r.revokedAt
              ? translate('resources.webhookKeys.revokedAt', { time: formatDateTime(r.revokedAt, locale) })
              : translate('resources.webhookKeys.active')
          }
        />
        <RotateButton />
        <RevokeButton />
      </Datagrid>
    </List>
  );
}

/**
 * Creates a key and shows its secret this once (it cannot be read again). Goes through the data
 * provider but not react-admin's cache, so the secret is kept nowhere after this page.
 */
export function ApiKeyCreate() {
  const translate = useTranslate();
  const dataProvider = useDataProvider();
  const notify = useNotify();
  const redirect = useRedirect();
  const labelId = useId();
  const [label, setLabel] = useState('');
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<{ keyId: string; secret: string } | null>(null);

  const create = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaving(true);
    try {
      const { data } = await dataProvider.create('webhookKeys', { data: { label } });
      setCreated({ keyId: String(data.keyId), secret: String(data.secret) });
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box sx={{ mt: 2, maxWidth: 720 }}>
      <Title title={translate('resources.webhookKeys.create')} />
      <Card>
        <CardContent>
          {created ? (
            <SecretOnce keyId={created.keyId} secret={created.secret}>
              <Button variant="contained" onClick={() => redirect('list', 'webhookKeys')}>
                {translate('resources.webhookKeys.done')}
              </Button>
            </SecretOnce>
          ) : (
            <Box component="form" onSubmit={create} aria-labelledby={labelId}>
              <Typography variant="h6" component="h2" id={labelId} gutterBottom>
                {translate('resources.webhookKeys.create')}
              </Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
                {translate('resources.webhookKeys.createHelp')}
              </Typography>
              <MuiTextField
                label={translate('resources.webhookKeys.fields.label')}
                value={label}
                onChange={(e) => setLabel(e.target.value)}
                fullWidth
                helperText={translate('resources.webhookKeys.labelHelp')}
              />
              <Button type="submit" variant="contained" disabled={saving} sx={{ mt: 2 }}>
                {translate('resources.webhookKeys.createSubmit')}
              </Button>
            </Box>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}
