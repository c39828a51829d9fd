import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Loading, Title, useGetMany, useLocaleState, usePermissions, useTranslate } from 'react-admin';
import type { Role } from '../auth/session';
import { JapaneseDateInput } from '../fields/JapaneseDateInput';
import { formatDateTime } from '../format/date';
import { request } from '../graphql/client';
import type { AuditLogFilter } from '../graphql/types';
import { TenantName, TenantSearchField } from '../tenants/TenantSearchField';
import {
  type AuditRow,
  type AuditSource,
  appendPage,
  auditSources,
  dayStart,
  emptySource,
  hasMore,
  needsFetch,
  operationKey,
  type SourceState,
  takeNewest,
} from './auditMerge';
import { BillingAuditLog, CustomersAuditLog, LicensingAuditLog, TelephonyAuditLog } from './operations';

const PAGE = 50;

/** The stored JSON, indented for reading. */
const pretty = (json: string) => {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
};

/** The operations people look for, by name, for the 操作 filter (labels in i18n resources.audit.operations). */
const knownOperations = [
  'createWebhookKey',
  'rotateWebhookKey',
  'revokeWebhookKey',
  'addLine',
  'relabelLine',
  'removeLine',
  'createCustomer',
  'updateCustomer',
  'deleteCustomer',
  'inviteUser',
  'disableUser',
  'registerSeat',
  'deregisterSeat',
  'createPlan',
  'addPlanVersion',
  'createContract',
  'addConnectionPacks',
  'terminateContract',
  'closeMonth',
  'issueInvoice',
  'voidInvoice',
  'updateBusinessCalendar',
] as const;

async function fetchPage(source: AuditSource, filter: AuditLogFilter, after: string | null) {
  const variables = { filter, first: PAGE, after };
  switch (source) {
    case 'telephony':
      return (await request(TelephonyAuditLog, variables)).telephonyAuditLog;
    case 'customers':
      return (await request(CustomersAuditLog, variables)).customersAuditLog;
    case 'billing':
      return (await request(BillingAuditLog, variables)).billingAuditLog;
    case 'licensing':
      return (await request(LicensingAuditLog, variables)).licensingAuditLog;
  }
}

const emptyStates = () =>
  Object.fromEntries(auditSources.map((s) => [s, emptySource()])) as Record<AuditSource, SourceState>;

interface Filters {
  actor: string;
  operation: string;
  from: string;
  to: string;
  tenantId: string;
}

const noFilters: Filters = { actor: '', operation: '', from: '', to: '', tenantId: '' };

function toFilter(f: Filters, allTenants: boolean): AuditLogFilter {
  return {
    actor: f.actor.trim() || undefined,
    operation: f.operation || undefined,
    from: dayStart(f.from),
    // The whole last day: until the next day starts.
    to: dayStart(f.to, 1),
    tenantId: allTenants ? f.tenantId.trim() || undefined : undefined,
  };
}

/**
 * 操作履歴: who changed what and when, from every subgraph's audit log merged by time
 * (docs/decisions/0011-audit-log.md). Tenant admins see their own tenant's; platform admins and
 * back office every tenant's, or one tenant's.
 */
export function AuditLogPage() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { permissions } = usePermissions<Role[]>();
  const allTenants = (permissions ?? []).some((r) => r === 'PLATFORM_ADMIN' || r === 'BACK_OFFICE');
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [applied, setApplied] = useState<Filters>(noFilters);
  const [rows, setRows] = useState<AuditRow[] | null>(null);
  const [failures, setFailures] = useState<string[]>([]);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const states = useRef<Record<AuditSource, SourceState>>(emptyStates());
  // Staff read tenants by name, not by id.
  const tenantIds = allTenants
    ? [...new Set((rows ?? []).map((r) => r.tenantId).filter((id): id is string => !!id))]
    : [];
  const { data: tenants } = useGetMany<{ id: string; name: string }>(
    'tenants',
    { ids: tenantIds },
    { enabled: tenantIds.length > 0 },
  );
  const tenantNames = new Map((tenants ?? []).map((t) => [t.id, t.name]));

  /** Tops every source's buffer up to a page, then shows the next page of the merge. */
  const showNext = useCallback(
    async (filters: Filters, reset: boolean) => {
      setBusy(true);
      if (reset) states.current = emptyStates();
      const filter = toFilter(filters, allTenants);
      const failed: string[] = [];
      await Promise.all(
        auditSources.map(async (source) => {
          try {
            while (needsFetch(states.current[source], PAGE)) {
              const page = await fetchPage(source, filter, states.current[source].cursor);
              states.current = { ...states.current, [source]: appendPage(states.current[source], page) };
            }
          } catch (err) {
            // One subgraph down still shows the others; the page says which is missing.
            states.current = { ...states.current, [source]: { buffer: [], cursor: null, done: true } };
            failed.push(
              translate('resources.audit.sourceFailed', {
                service: translate(`resources.audit.services.${source}`),
                message: err instanceof Error ? err.message : String(err),
              }),
            );
          }
        }),
      );
      const next = takeNewest(states.current, PAGE);
      states.current = next.states;
      setRows((shown) => (reset || !shown ? next.rows : [...shown, ...next.rows]));
      setFailures(failed);
      setMore(hasMore(states.current));
      setBusy(false);
    },
    [allTenants, translate],
  );

  useEffect(() => {
    void showNext(applied, true);
  }, [applied, showNext]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied({ ...draft });
  };
  const set = (key: keyof Filters) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: event.target.value }));

  const operationLabel = (operation: string) => {
    const key = operationKey(operation);
    return translate(`resources.audit.operations.${key}`, { _: key });
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('resources.audit.name')} />
      <CardContent>
        <Typography variant="h5" component="h1" gutterBottom>
          {translate('resources.audit.name')}
        </Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          {translate('resources.audit.help')}
        </Typography>
        <Box
          component="form"
          onSubmit={submit}
          aria-label={translate('resources.audit.filters.label')}
          sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center', my: 2 }}
        >
          <TextField
            size="small"
            fullWidth={false}
            sx={{ width: 240 }}
            label={translate('resources.audit.filters.actor')}
            value={draft.actor}
            onChange={set('actor')}
          />
          <TextField
            size="small"
            select
            fullWidth={false}
            label={translate('resources.audit.filters.operation')}
            value={draft.operation}
            onChange={set('operation')}
            sx={{ width: 260 }}
          >
            <MenuItem value="">{translate('resources.audit.filters.anyOperation')}</MenuItem>
            {knownOperations.map((op) => (
              <MenuItem key={op} value={op}>
                {operationLabel(op)}
              </MenuItem>
            ))}
          </TextField>
          <JapaneseDateInput
            label={translate('resources.audit.filters.from')}
            value={draft.from}
            onChange={(date) => setDraft((d) => ({ ...d, from: date }))}
          />
          <JapaneseDateInput
            label={translate('resources.audit.filters.to')}
            value={draft.to}
            onChange={(date) => setDraft((d) => ({ ...d, to: date }))}
          />
          {allTenants && (
            <TenantSearchField
              label={translate('resources.audit.filters.tenant')}
              value={draft.tenantId}
              onChange={(tenantId) => setDraft((d) => ({ ...d, tenantId }))}
            />
          )}
          <Button type="submit" variant="contained" disabled={busy}>
            {translate('resources.audit.filters.apply')}
          </Button>
          <Button
            type="button"
            onClick={() => {
              setDraft(noFilters);
              setApplied(noFilters);
            }}
          >
            {translate('resources.audit.filters.clear')}
          </Button>
        </Box>
        {failures.map((f) => (
          <Alert key={f} severity="warning" sx={{ mb: 1 }}>
            {f}
          </Alert>
        ))}
        {rows === null ? (
          <Loading />
        ) : rows.length === 0 ? (
          <Typography>{translate('resources.audit.empty')}</Typography>
        ) : (
          <Box sx={{ overflowX: 'auto' }}>
            <Table size="small" aria-label={translate('resources.audit.name')}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate('resources.audit.columns.at')}</TableCell>
                  <TableCell>{translate('resources.audit.columns.service')}</TableCell>
                  {allTenants && <TableCell>{translate('resources.audit.columns.tenant')}</TableCell>}
                  <TableCell>{translate('resources.audit.columns.actor')}</TableCell>
                  <TableCell>{translate('resources.audit.columns.operation')}</TableCell>
                  <TableCell>{translate('resources.audit.columns.targets')}</TableCell>
                  <TableCell>{translate('resources.audit.columns.outcome')}</TableCell>
                  <TableCell>{translate('resources.audit.columns.arguments')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((row) => (
                  <TableRow key={row.id} data-operation={row.operation}>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(row.at, locale)}</TableCell>
                    <TableCell>{translate(`resources.audit.services.${row.service}`, { _: row.service })}</TableCell>
                    {allTenants && (
                      <TableCell>
                        <TenantName id={row.tenantId ?? null} names={tenantNames} />
                      </TableCell>
                    )}
                    <TableCell>{row.actorName ?? row.actorId ?? translate('resources.audit.anonymous')}</TableCell>
                    <TableCell title={row.operation}>{operationLabel(row.operation)}</TableCell>
                    <TableCell sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                      {row.targets.join(', ')}
                    </TableCell>
                    <TableCell>
                      {row.outcome === 'ok'
                        ? translate('resources.audit.ok')
                        : translate('resources.audit.failed', { code: row.outcome })}
                    </TableCell>
                    <TableCell>
                      {row.arguments && row.arguments !== '{}' ? (
                        <details>
                          <summary>{translate('resources.audit.show')}</summary>
                          <Box component="pre" sx={{ m: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}>
                            {pretty(row.arguments)}
                          </Box>
                        </details>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
        {more && (
          <Button sx={{ mt: 2 }} disabled={busy} onClick={() => void showNext(applied, false)}>
            {translate('resources.audit.more')}
          </Button>
        )}
      </CardContent>
    </Card>
  );
}
