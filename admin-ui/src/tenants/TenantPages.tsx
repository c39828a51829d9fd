import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  ListItem,
  ListItemText,
  List as MuiList,
  TextField as MuiTextField,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { type FormEvent, useEffect, useId, useState } from 'react';
import {
  Create,
  Datagrid,
  email,
  FunctionField,
  List,
  Pagination,
  ReferenceManyField,
  required,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  useLocaleState,
  useNotify,
  usePermissions,
  useRecordContext,
  useRedirect,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { Link } from 'react-router-dom';
import { DEFAULT_TIME_ZONE } from '../../../libs/contracts/src/rules/time-zone';
import type { Role } from '../auth/session';
import { ContractHistory } from '../contracts/ContractHistory';
import { scrollableTable } from '../fields/scrollableTable';
import { formatDate, formatMonth } from '../format/date';
import { request } from '../graphql/client';
import type { BillableSeatsQuery, TenantPageQuery } from '../graphql/types';
import { CloseMonthForm, InvoiceGrid } from '../invoices/InvoicePages';
import { AddConnectionPacks, BillableSeats } from './operations';

type TenantRow = TenantPageQuery['tenantPage']['items'][number];

/** `YYYY-MM` and `YYYY-MM-DD` of now in a timezone. */
export const today = (timeZone: string, now = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

const planOf = (r: TenantRow) =>
  r.contract
    ? `${r.contract.planVersion.plan.name}（${r.contract.planVersion.plan.code}）v${r.contract.planVersion.version}`
    : '—';

// A labelled text box (SearchInput has no label): the back office types part of the name.
const tenantFilters = [<TextInput key="q" source="q" label="resources.tenants.search" alwaysOn resettable />];

/**
 * Customer tenants with their contract's plan, connection packs and capacity: searched by name and
 * paged by licensing (every tenant, not the first 10).
 */
export function TenantList() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <List exporter={false} filters={tenantFilters} perPage={25} sort={{ field: 'name', order: 'ASC' }}>
      <Datagrid sx={scrollableTable} bulkActionButtons={false} rowClick="show" data-testid="tenants">
        <TextField source="name" />
        <FunctionField<TenantRow> source="plan" sortable={false} render={planOf} />
        <FunctionField<TenantRow>
          source="status"
          sortable={false}
          render={(r) =>
            r.contract
              ? translate(`resources.contracts.status.${r.contract.status}`)
              : translate('resources.tenants.noContract')
          }
        />
        <FunctionField<TenantRow>
          source="serviceStartDate"
          sortable={false}
          render={(r) => (r.contract ? formatDate(r.contract.serviceStartDate, locale) : '—')}
        />
        <FunctionField<TenantRow>
          source="connectionPacks"
          sortable={false}
          render={(r) => (r.contract ? String(r.contract.connectionPacks.length) : '—')}
        />
        <FunctionField<TenantRow>
          source="connectionCapacity"
          sortable={false}
          render={(r) => (r.contract ? String(r.contract.connectionCapacity) : '—')}
        />
        <TextField source="timezone" />
      </Datagrid>
    </List>
  );
}

/**
 * PCs billed this month (seat licences), from licensing: the count of PCs billed and each
 * registration behind it (a PC registered twice in the month has two rows, billed once).
 */
function SeatLicences() {
  const tenant = useRecordContext<TenantRow>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [seats, setSeats] = useState<BillableSeatsQuery['billableSeats'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  // Billing's PC count is for back office and platform admins (sales see tenants, not seats).
  const { permissions } = usePermissions<Role[]>();
  const allowed = (permissions ?? []).some((r) => r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN');
  useEffect(() => {
    if (!tenant || !allowed) return;
    const month = today(tenant.timezone).slice(0, 7);
    request(BillableSeats, { month, tenantId: tenant.id }).then(
      ({ billableSeats }) => setSeats(billableSeats),
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, [tenant, allowed]);
  if (!allowed) return null;
  return (
    <Box component="section" aria-labelledby={headingId} data-testid="seat-licences">
      <Typography variant="h6" component="h2" id={headingId}>
        {translate('resources.tenants.seats')}
      </Typography>
      {error && <Alert severity="error">{error}</Alert>}
      {seats && (
        <>
          <Typography>
            {translate('resources.tenants.seatCount', {
              month: formatMonth(seats.month, locale),
              count: seats.deviceIds.length,
            })}
          </Typography>
          {seats.seats.length > 0 && (
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" aria-labelledby={headingId}>
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('resources.tenants.seatTable.name')}</TableCell>
                    <TableCell>{translate('resources.tenants.seatTable.deviceId')}</TableCell>
                    <TableCell>{translate('resources.tenants.seatTable.user')}</TableCell>
                    <TableCell>{translate('resources.tenants.seatTable.registeredAt')}</TableCell>
                    <TableCell>{translate('resources.tenants.seatTable.deregisteredAt')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {seats.seats.map((s) => (
                    <TableRow key={s.id} data-testid="seat-licence-row">
                      <TableCell>{s.name}</TableCell>
                      <TableCell>{s.deviceId}</TableCell>
                      <TableCell>{s.userName}</TableCell>
                      <TableCell>{formatDate(s.registeredAt, locale)}</TableCell>
                      <TableCell>
                        {s.deregisteredAt
                          ? formatDate(s.deregisteredAt, locale)
                          : translate('resources.tenants.seatTable.stillRegistered')}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}
        </>
      )}
    </Box>
  );
}

function ConnectionPacks() {
  const tenant = useRecordContext<TenantRow>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const headingId = useId();
  if (!tenant) return null;
  const contract = tenant.contract;
  return (
    <Box component="section" aria-labelledby={headingId} data-testid="connection-packs">
      <Typography variant="h6" component="h2" id={headingId}>
        {translate('resources.tenants.packs')}
      </Typography>
      {!contract ? (
        <Typography color="text.secondary">{translate('resources.tenants.noContract')}</Typography>
      ) : (
        <>
          <Typography>
            {translate('resources.tenants.capacity', {
              packs: contract.connectionPacks.length,
              capacity: contract.connectionCapacity,
            })}
          </Typography>
          <MuiList dense>
            {contract.connectionPacks.map((p, i) => (
              <ListItem key={p.id} disableGutters>
                <ListItemText
                  primary={translate('resources.tenants.pack', {
                    n: i + 1,
                    date: formatDate(p.purchasedOn, locale),
                  })}
                />
              </ListItem>
            ))}
          </MuiList>
          <Button component={Link} to={`/contracts/${encodeURIComponent(contract.id)}/show`} size="small">
            {translate('resources.tenants.contract')}
          </Button>
        </>
      )}
    </Box>
  );
}

/** The tenant's contracts, current and past (read again when the current one changes). */
function TenantContractHistory() {
  const tenant = useRecordContext<TenantRow>();
  if (!tenant) return null;
  return (
    <ContractHistory tenantId={tenant.id} revision={`${tenant.contract?.id ?? ''}:${tenant.contract?.status ?? ''}`} />
  );
}

/** Back office adds packs to the tenant's contract; each is billed from its own purchase month. */
function AddPacksForm() {
  const tenant = useRecordContext<TenantRow>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { permissions } = usePermissions<Role[]>();
  const [count, setCount] = useState('1');
  const [purchasedOn, setPurchasedOn] = useState(() => today(DEFAULT_TIME_ZONE));
  const [saving, setSaving] = useState(false);
  const headingId = useId();
  const backOffice = (permissions ?? []).some((r) => r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN');
  const contract = tenant?.contract;
  if (contract?.status !== 'ACTIVE' || !backOffice) return null;
  const contractId = contract.id;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      const { addConnectionPacks } = await request(AddConnectionPacks, {
        contractId,
        count: Number(count),
        purchasedOn,
      });
      notify('resources.tenants.packsAdded', {
        type: 'success',
        messageArgs: { capacity: addConnectionPacks.connectionCapacity },
      });
      refresh();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setSaving(false);
    }
  };
  return (
    <Box component="form" onSubmit={submit} aria-labelledby={headingId}>
      <Typography variant="h6" component="h2" id={headingId}>
        {translate('resources.tenants.addPacks')}
      </Typography>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mt: 1, alignItems: { sm: 'flex-start' } }}>
        <MuiTextField
          label={translate('resources.tenants.packCount')}
          type="number"
          value={count}
          onChange={(e) => setCount(e.target.value)}
          slotProps={{ htmlInput: { min: 1, max: 19, step: 1 } }}
          size="small"
          required
        />
        <MuiTextField
          label={translate('resources.tenants.purchasedOn')}
          type="date"
          value={purchasedOn}
          onChange={(e) => setPurchasedOn(e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
          size="small"
          required
        />
        <Button type="submit" variant="contained" disabled={saving}>
          {translate('resources.tenants.addPacksSubmit')}
        </Button>
      </Stack>
    </Box>
  );
}

/** Where to go from a tenant: its contracts, invoices and usage, each already filtered to it. */
function TenantLinks() {
  const tenant = useRecordContext<TenantRow>();
  const translate = useTranslate();
  const { permissions } = usePermissions<Role[]>();
  if (!tenant) return null;
  const billing = (permissions ?? []).some((r) => r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN');
  const only = (resource: string) =>
    `/${resource}?filter=${encodeURIComponent(JSON.stringify({ tenantId: tenant.id }))}&displayedFilters=${encodeURIComponent('{}')}`;
  return (
    <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }} component="nav" aria-label={tenant.name}>
      <Button component={Link} to={only('contracts')} variant="outlined" size="small">
        {translate('resources.tenants.links.contracts')}
      </Button>
      {billing && (
        <Button component={Link} to={only('invoices')} variant="outlined" size="small">
          {translate('resources.tenants.links.invoices')}
        </Button>
      )}
      {billing && (
        <Button
          component={Link}
          to={`/usage?tenantId=${encodeURIComponent(tenant.id)}`}
          variant="outlined"
          size="small"
        >
          {translate('resources.tenants.links.usage')}
        </Button>
      )}
      {!tenant.contract && (
        <Button
          component={Link}
          to={`/contracts/create?source=${encodeURIComponent(JSON.stringify({ tenantId: tenant.id, recipientName: tenant.name }))}`}
          variant="contained"
          size="small"
        >
          {translate('resources.tenants.links.newContract')}
        </Button>
      )}
    </Stack>
  );
}

/** The tenant's invoices (newest first), and for back office the month close of this tenant. */
function TenantInvoices() {
  const tenant = useRecordContext<TenantRow>();
  const translate = useTranslate();
  const refresh = useRefresh();
  const headingId = useId();
  const { permissions } = usePermissions<Role[]>();
  const billing = (permissions ?? []).some((r) => r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN');
  if (!tenant || !billing) return null;
  return (
    <Box component="section" aria-labelledby={headingId} data-testid="tenant-invoices">
      <Typography variant="h6" component="h2" id={headingId}>
        {translate('resources.tenants.invoices')}
      </Typography>
      {tenant.contract && <CloseMonthForm tenantId={tenant.id} onClosed={refresh} />}
      <ReferenceManyField
        reference="invoices"
        target="tenantId"
        sort={{ field: 'month', order: 'DESC' }}
        perPage={12}
        pagination={<Pagination rowsPerPageOptions={[12, 25, 50]} />}
        empty={<Typography color="text.secondary">{translate('resources.invoices.empty')}</Typography>}
      >
        <InvoiceGrid staff showTenant={false} />
      </ReferenceManyField>
    </Box>
  );
}

export const TenantShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="name" />
      <TextField source="timezone" />
      <FunctionField<TenantRow> source="plan" render={planOf} />
      <TenantLinks />
      <Card variant="outlined">
        <CardContent>
          <Stack spacing={3}>
            <ConnectionPacks />
            <AddPacksForm />
            <TenantContractHistory />
            <TenantInvoices />
            <SeatLicences />
          </Stack>
        </CardContent>
      </Card>
    </SimpleShowLayout>
  </Show>
);

/** A new customer tenant; its first administrator's invitation is mailed to them (no token is shown). */
export function TenantCreate() {
  const notify = useNotify();
  const translate = useTranslate();
  const redirect = useRedirect();
  return (
    <Create
      mutationOptions={{
        onSuccess: (data) => {
          const invitation = (data as { invitation?: { email: string } }).invitation;
          notify(
            translate('resources.tenants.invited', {
              email: invitation?.email ?? '',
            }),
            { type: 'success', autoHideDuration: null },
          );
          // A custom onSuccess replaces react-admin's, redirect included.
          redirect('show', 'tenants', data.id);
        },
      }}
    >
      <SimpleForm defaultValues={{ timezone: DEFAULT_TIME_ZONE }}>
        <TextInput source="name" validate={required()} />
        <TextInput source="adminName" validate={required()} />
        <TextInput source="adminEmail" validate={[required(), email()]} />
        <TextInput source="timezone" validate={required()} helperText="resources.tenants.timezoneHelp" />
      </SimpleForm>
    </Create>
  );
}
