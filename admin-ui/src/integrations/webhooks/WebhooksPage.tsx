import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  FormGroup,
  FormLabel,
  TextField as MuiTextField,
  Stack,
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
import type { WebhookDeliveriesQuery, WebhookEndpointsQuery } from '../../graphql/types';
import {
  CreateWebhookEndpoint,
  DeleteWebhookEndpoint,
  ReplayWebhookDelivery,
  SendTestWebhook,
  UpdateWebhookEndpoint,
  WebhookDeliveries,
  WebhookEndpoints,
} from './operations';

type Endpoint = WebhookEndpointsQuery['webhookEndpoints'][number];
type Delivery = WebhookDeliveriesQuery['webhookDeliveries'][number];

const t = (key: string) => `resources.webhooks.${key}`;

/** An event type's Japanese label (the type itself when the catalogue does not name it). */
function useEventLabel() {
  const translate = useTranslate();
  return (type: string) => translate(t(`events.${type.replace('.', '_')}`), { _: type });
}

/** The endpoint's state as the admin reads it: 有効, 停止中（管理者）, 停止中（失敗が続いたため）. */
function StateChip({ endpoint }: { endpoint: Endpoint }) {
  const translate = useTranslate();
  if (endpoint.enabled) return <Chip size="small" color="success" label={translate(t('state.enabled'))} />;
  return endpoint.disabledReason === 'FAILING' ? (
    <Chip size="small" color="error" label={translate(t('state.failing'))} data-testid="webhook-failing" />
  ) : (
    <Chip size="small" label={translate(t('state.disabled'))} />
  );
}

/** Creates an endpoint and shows its signing secret this once. */
function CreateDialog({
  eventTypes,
  open,
  onClose,
}: {
  eventTypes: readonly string[];
  open: boolean;
  onClose: () => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const label = useEventLabel();
  const titleId = useId();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const close = () => {
    setUrl('');
    setDescription('');
    setChosen([]);
    setSecret(null);
    onClose();
  };
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const { createWebhookEndpoint } = await request(CreateWebhookEndpoint, {
        input: { url, description, eventTypes: chosen },
      });
      setSecret(createWebhookEndpoint.secret);
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret ?? '');
      notify(t('copied'), { type: 'info' });
    } catch {
      notify(t('copyFailed'), { type: 'warning' });
    }
  };
  return (
    <Dialog open={open} onClose={secret ? undefined : close} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>{translate(t('create'))}</DialogTitle>
      <DialogContent>
        {secret ? (
          <Stack spacing={2}>
            <Alert severity="warning" role="alert">
              <AlertTitle>{translate(t('secretOnce'))}</AlertTitle>
              {translate(t('secretHelp'))}
            </Alert>
            <MuiTextField
              label={translate(t('secret'))}
              value={secret}
              slotProps={{ htmlInput: { readOnly: true, 'data-testid': 'webhook-endpoint-secret' } }}
              fullWidth
              onFocus={(e) => e.target.select()}
            />
            <Stack direction="row" spacing={1}>
              <Button variant="outlined" startIcon={<ContentCopyIcon />} onClick={copy}>
                {translate(t('copy'))}
              </Button>
              <Button variant="contained" onClick={close}>
                {translate(t('done'))}
              </Button>
            </Stack>
          </Stack>
        ) : (
          <Box component="form" onSubmit={submit} sx={{ pt: 1 }}>
            <Stack spacing={2}>
              <MuiTextField
                label={translate(t('fields.url'))}
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                placeholder="https://example.com/thankstar"
                required
                fullWidth
                helperText={translate(t('urlHelp'))}
              />
              <MuiTextField
                label={translate(t('fields.description'))}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                fullWidth
              />
              <Box component="fieldset" sx={{ border: 0, p: 0, m: 0 }}>
                <FormLabel component="legend">{translate(t('fields.eventTypes'))}</FormLabel>
                <FormGroup row>
                  {eventTypes.map((type) => (
                    <FormControlLabel
                      key={type}
                      control={
                        <Checkbox
                          checked={chosen.includes(type)}
                          onChange={(e) =>
                            setChosen((c) => (e.target.checked ? [...c, type] : c.filter((x) => x !== type)))
                          }
                        />
                      }
                      label={label(type)}
                    />
                  ))}
                </FormGroup>
              </Box>
            </Stack>
            <DialogActions sx={{ px: 0 }}>
              <Button onClick={close}>{translate('ra.action.cancel')}</Button>
              <Button type="submit" variant="contained" disabled={busy || chosen.length === 0}>
                {translate(t('createSubmit'))}
              </Button>
            </DialogActions>
          </Box>
        )}
      </DialogContent>
    </Dialog>
  );
}

/**
 * 連携 › Webhook 送信: the tenant's outbound webhook endpoints (create with the secret shown once,
 * event types, enable/disable, send a test event, delete) and the delivery log with replay
 * (docs/integrations.md "Outbound webhooks").
 */
export function WebhooksPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const label = useEventLabel();
  const [eventTypes, setEventTypes] = useState<readonly string[]>([]);
  const [endpoints, setEndpoints] = useState<Endpoint[]>([]);
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [filter, setFilter] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    try {
      const [e, d] = await Promise.all([
        request(WebhookEndpoints, {}),
        request(WebhookDeliveries, { endpointId: filter, limit: 100 }),
      ]);
      setEventTypes(e.webhookEventTypes);
      setEndpoints(e.webhookEndpoints);
      setDeliveries(d.webhookDeliveries);
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  }, [filter, notify]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      notify(t(done), { type: 'info' });
      await load();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  };
  const urlOf = (id: string) => endpoints.find((e) => e.id === id)?.url ?? '—';

  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate(t('name'))} />
      <Stack spacing={2}>
        <Card>
          <CardContent>
            <Stack direction="row" sx={{ mb: 1, justifyContent: 'space-between', alignItems: 'center' }}>
              <Typography variant="h6" component="h2">
                {translate(t('endpoints'))}
              </Typography>
              <Button variant="contained" onClick={() => setCreating(true)}>
                {translate(t('create'))}
              </Button>
            </Stack>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
              {translate(t('help'))}
            </Typography>
            {endpoints.some((e) => e.disabledReason === 'FAILING') && (
              <Alert severity="error" sx={{ mb: 2 }} role="alert">
                {translate(t('failingNotice'))}
              </Alert>
            )}
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="webhook-endpoints">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate(t('fields.url'))}</TableCell>
                    <TableCell>{translate(t('fields.description'))}</TableCell>
                    <TableCell>{translate(t('fields.eventTypes'))}</TableCell>
                    <TableCell>{translate(t('fields.state'))}</TableCell>
                    <TableCell />
                  </TableRow>
                </TableHead>
                <TableBody>
                  {endpoints.length === 0 && (
                    <TableRow>
                      <TableCell colSpan={5}>{translate(t('noEndpoints'))}</TableCell>
                    </TableRow>
                  )}
                  {endpoints.map((e) => (
                    <TableRow key={e.id}>
                      <TableCell sx={{ wordBreak: 'break-all' }}>{e.url}</TableCell>
                      <TableCell>{e.description || '—'}</TableCell>
                      <TableCell>{e.eventTypes.map(label).join('、')}</TableCell>
                      <TableCell>
                        <StateChip endpoint={e} />
                      </TableCell>
                      <TableCell>
                        <Stack direction="row" spacing={1}>
                          <Button
                            size="small"
                            onClick={() => act(() => request(SendTestWebhook, { endpointId: e.id }), 'testSent')}
                            aria-label={`${translate(t('sendTest'))}: ${e.url}`}
                          >
                            {translate(t('sendTest'))}
                          </Button>
                          <Button
                            size="small"
                            onClick={() =>
                              act(
                                () => request(UpdateWebhookEndpoint, { id: e.id, input: { enabled: !e.enabled } }),
                                e.enabled ? 'disabledDone' : 'enabledDone',
                              )
                            }
                          >
                            {translate(t(e.enabled ? 'disable' : 'enable'))}
                          </Button>
                          <Button size="small" onClick={() => setFilter(e.id)}>
                            {translate(t('showLog'))}
                          </Button>
                          <Button
                            size="small"
                            color="error"
                            onClick={() => {
                              if (window.confirm(translate(t('deleteConfirm'), { url: e.url })))
                                void act(() => request(DeleteWebhookEndpoint, { id: e.id }), 'deleted');
                            }}
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
          </CardContent>
        </Card>
        <Card>
          <CardContent>
            <Stack direction="row" sx={{ mb: 1, justifyContent: 'space-between', alignItems: 'center' }}>
              <Typography variant="h6" component="h2">
                {translate(t('log'))}
                {filter ? ` — ${urlOf(filter)}` : ''}
              </Typography>
              <Stack direction="row" spacing={1}>
                {filter && <Button onClick={() => setFilter(null)}>{translate(t('allEndpoints'))}</Button>}
                <Button onClick={() => void load()}>{translate(t('reloadLog'))}</Button>
              </Stack>
            </Stack>
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="webhook-deliveries">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate(t('fields.createdAt'))}</TableCell>
                    <TableCell>{translate(t('fields.eventType'))}</TableCell>
                    <TableCell>{translate(t('fields.url'))}</TableCell>
                    <TableCell>{translate(t('fields.status'))}</TableCell>
                    <TableCell>{translate(t('fields.responseStatus'))}</TableCell>
                    <TableCell>{translate(t('fields.latency'))}</TableCell>
                    <TableCell>{translate(t('fields.attempts'))}</TableCell>
                    <TableCell>{translate(t('fields.excerpt'))}</TableCell>
                    <TableCell />
                  </TableRow>
                </TableHead>
                <TableBody>
                  {deliveries.length === 0 && (
                    <TableRow>
                      <TableCell colSpan={9}>{translate(t('noDeliveries'))}</TableCell>
                    </TableRow>
                  )}
                  {deliveries.map((d) => (
                    <TableRow key={d.id} data-status={d.status}>
                      <TableCell>{formatDateTime(d.createdAt, locale)}</TableCell>
                      <TableCell>{label(d.eventType)}</TableCell>
                      <TableCell sx={{ wordBreak: 'break-all' }}>{urlOf(d.endpointId)}</TableCell>
                      <TableCell>
                        {translate(t(`status.${d.status}`))}
                        {d.status === 'PENDING' && d.nextAttemptAt && d.attempts > 0
                          ? ` (${translate(t('nextAttempt'), { time: formatDateTime(d.nextAttemptAt, locale) })})`
                          : ''}
                      </TableCell>
                      <TableCell>{d.responseStatus ?? (d.lastError ? translate(t('noAnswer')) : '—')}</TableCell>
                      <TableCell>{d.latencyMs == null ? '—' : `${d.latencyMs} ms`}</TableCell>
                      <TableCell>{d.attempts}</TableCell>
                      <TableCell sx={{ maxWidth: 280, wordBreak: 'break-all', fontFamily: 'monospace', fontSize: 12 }}>
                        {(d.responseExcerpt ?? d.lastError ?? '').slice(0, 200) || '—'}
                      </TableCell>
                      <TableCell>
                        <Button
                          size="small"
                          onClick={() => act(() => request(ReplayWebhookDelivery, { id: d.id }), 'replayed')}
                        >
                          {translate(t('replay'))}
                        </Button>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          </CardContent>
        </Card>
      </Stack>
      <CreateDialog
        eventTypes={eventTypes}
        open={creating}
        onClose={() => {
          setCreating(false);
          void load();
        }}
      />
    </Box>
  );
}
