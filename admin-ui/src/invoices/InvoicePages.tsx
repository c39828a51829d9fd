import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Chip,
  MenuItem,
  TextField as MuiTextField,
  Stack,
  Typography,
} from '@mui/material';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import {
  AutocompleteInput,
  Datagrid,
  FunctionField,
  List,
  ReferenceInput,
  SelectInput,
  Show,
  TextField,
  Title,
  useListContext,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useTranslate,
  useUnselectAll,
} from 'react-admin';
import { Link } from 'react-router-dom';
import type { Role } from '../auth/session';
import { MonthPicker } from '../fields/MonthPicker';
import { formatMonthJa, monthsBetween, shiftMonth } from '../fields/months';
import { scrollableTable } from '../fields/scrollableTable';
import { formatDate, formatMonth } from '../format/date';
import { formatYen } from '../format/yen';
import { request } from '../graphql/client';
import type {
  InvoiceFieldsFragment,
  InvoicePageQuery,
  InvoiceSettingsFieldsFragment,
  PaymentTerms,
} from '../graphql/types';
import { downloadPdf } from './downloadPdf';
import { InvoiceCard, InvoiceDialog } from './InvoiceCard';
import { CloseMonth, InvoiceSettings, IssueInvoices, UpdateInvoiceSettings } from './operations';

const isStaff = (roles: Role[] | undefined) => (roles ?? []).some((r) => r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN');
const thisMonth = () => new Date().toISOString().slice(0, 7);
/** The month most often worked on: the one just closed. */
export const previousMonth = () => shiftMonth(thisMonth(), -1);

const statusChoices = ['DRAFT', 'ISSUED', 'PAID', 'VOID'].map((id) => ({
  id,
  name: `resources.invoices.status.${id}`,
}));
const kindChoices = ['INVOICE', 'CREDIT_NOTE'].map((id) => ({ id, name: `resources.invoices.kind.${id}` }));

/** Tenants are picked by name (licensing searches them), never typed as ids. */
export const TenantPicker = ({ source = 'tenantId', alwaysOn }: { source?: string; alwaysOn?: boolean }) => (
  <ReferenceInput source={source} reference="tenants" alwaysOn={alwaysOn} sort={{ field: 'name', order: 'ASC' }}>
    <AutocompleteInput
      optionText="name"
      filterToQuery={(q: string) => ({ q })}
      label="resources.invoices.fields.tenant"
      sx={{ minWidth: 260 }}
    />
  </ReferenceInput>
);

export const StatusChip = ({ status }: { status: string }) => {
  const translate = useTranslate();
  const color = status === 'DRAFT' ? 'warning' : status === 'VOID' ? 'default' : 'success';
  return <Chip size="small" color={color} label={translate(`resources.invoices.status.${status}`)} />;
};

/** The whole filtered set's count and 税込 total per status (every page shows the same). */
function InvoiceTotals() {
  const { meta, total } = useListContext();
  const translate = useTranslate();
  const byStatus = (meta?.byStatus ?? []) as InvoicePageQuery['invoicePage']['byStatus'];
  if (total === undefined) return null;
  return (
    <Stack
      direction="row"
      spacing={1}
      sx={{ px: 2, py: 1, flexWrap: 'wrap', alignItems: 'center' }}
      data-testid="invoice-totals"
      aria-live="polite"
    >
      <Typography variant="body2">{translate('resources.invoices.totals', { count: total })}</Typography>
      {byStatus.map((s) => (
        <Chip
          key={s.status}
          variant="outlined"
          label={translate('resources.invoices.statusTotal', {
            status: translate(`resources.invoices.status.${s.status}`),
            count: s.count,
            total: formatYen(s.totalYen),
          })}
        />
      ))}
    </Stack>
  );
}

/**
 * A draft's own labelled checkbox (react-admin's row checkboxes have no accessible name): it names
 * the tenant and month it chooses.
 */
function SelectDraft() {
  const invoice = useRecordContext<InvoiceFieldsFragment>();
  const { selectedIds, onToggleItem } = useListContext<InvoiceFieldsFragment>();
  const translate = useTranslate();
  if (!invoice || invoice.status !== 'DRAFT') return null;
  return (
    <Checkbox
      size="small"
      checked={selectedIds.includes(invoice.id)}
      onClick={(e) => e.stopPropagation()}
      onChange={() => onToggleItem(invoice.id)}
      slotProps={{
        input: {
          'aria-label': translate('resources.invoices.selectDraft', {
            tenant: invoice.tenant?.name ?? '',
            month: formatMonth(invoice.month),
          }),
        },
      }}
    />
  );
}

/** Above the grid: choose every draft on the page, and issue the chosen ones. */
function BulkIssueBar() {
  const { data, selectedIds, onSelect } = useListContext<InvoiceFieldsFragment>();
  const translate = useTranslate();
  const drafts = (data ?? []).filter((i) => i.status === 'DRAFT').map((i) => i.id);
  if (drafts.length === 0 && selectedIds.length === 0) return null;
  return (
    <Stack direction="row" spacing={1} sx={{ px: 2, py: 1, alignItems: 'center', flexWrap: 'wrap' }}>
      <Button size="small" onClick={() => onSelect(drafts)} disabled={drafts.length === 0}>
        {translate('resources.invoices.selectAllDrafts')}
      </Button>
      <BulkIssueButton />
    </Stack>
  );
}

/** Issues the selected drafts in one go; says which could not be issued and why (in Japanese). */
function BulkIssueButton() {
  const { selectedIds, data } = useListContext<InvoiceFieldsFragment>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll('invoices');
  const [busy, setBusy] = useState(false);
  const drafts = selectedIds.filter((id) => data?.find((i) => i.id === id)?.status === 'DRAFT');
  const issue = async () => {
    setBusy(true);
    try {
      const { issueInvoices } = await request(IssueInvoices, { ids: drafts.map(String) });
      const failed = issueInvoices.failed.map((f) => f.message).join(' ');
      notify(
        translate('resources.invoices.bulkIssued', { count: issueInvoices.issued.length }) +
          (failed
            ? ` ${translate('resources.invoices.bulkFailed', { count: issueInvoices.failed.length })} ${failed}`
            : ''),
        { type: failed ? 'warning' : 'success', autoHideDuration: failed ? null : 6000 },
      );
      unselectAll();
      refresh();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="contained" size="small" onClick={() => void issue()} disabled={busy || drafts.length === 0}>
      {translate('resources.invoices.bulkIssue', { count: drafts.length })}
    </Button>
  );
}

export const PdfButton = () => {
  const invoice = useRecordContext<InvoiceFieldsFragment>();
  const translate = useTranslate();
  const notify = useNotify();
  if (!invoice) return null;
  return (
    <Button
      size="small"
      onClick={(e) => {
        e.stopPropagation();
        downloadPdf(invoice.pdfPath, `${invoice.number ?? `draft-${invoice.month}`}.pdf`).catch((err: unknown) =>
          notify(err instanceof Error ? err.message : String(err), { type: 'error' }),
        );
      }}
    >
      {translate('resources.invoices.pdf')}
    </Button>
  );
};

/** The invoice grid shared by the list and a tenant's page. */
export function InvoiceGrid({ staff, showTenant = true }: { staff: boolean; showTenant?: boolean }) {
  const translate = useTranslate();
  return (
    <>
      {staff && <BulkIssueBar />}
      <Datagrid sx={scrollableTable} rowClick="show" bulkActionButtons={false} data-testid="invoices">
        {staff && <SelectDraft />}
        <TextField source="number" emptyText={translate('resources.invoices.draft')} />
        {showTenant && (
          <FunctionField<InvoiceFieldsFragment>
            source="tenant"
            sortable={false}
            render={(i) => (
              <Link to={`/tenants/${encodeURIComponent(i.tenantId)}/show`} onClick={(e) => e.stopPropagation()}>
                {i.tenant?.name ?? i.tenantId}
              </Link>
            )}
          />
        )}
        <FunctionField<InvoiceFieldsFragment> source="month" render={(i) => formatMonth(i.month)} />
        <FunctionField<InvoiceFieldsFragment>
          source="kind"
          sortable={false}
          render={(i) => translate(`resources.invoices.kind.${i.kind}`)}
        />
        <FunctionField<InvoiceFieldsFragment> source="status" render={(i) => <StatusChip status={i.status} />} />
        <FunctionField<InvoiceFieldsFragment>
          source="totalYen"
          textAlign="right"
          render={(i) => formatYen(i.totalYen)}
        />
        <FunctionField<InvoiceFieldsFragment> source="issuedAt" render={(i) => formatDate(i.issuedAt)} />
        <FunctionField<InvoiceFieldsFragment>
          source="paymentDueDate"
          sortable={false}
          render={(i) => formatDate(i.paymentDueDate)}
        />
        <PdfButton />
      </Datagrid>
    </>
  );
}

/**
 * Every tenant's invoices for back office (a month at a time by default, with totals and bulk
 * issue); a tenant admin's own issued invoices.
 */
export function InvoiceList() {
  const { permissions } = usePermissions<Role[]>();
  const staff = isStaff(permissions);
  const monthChoices = useMemo(
    () => monthsBetween(shiftMonth(thisMonth(), -35), thisMonth()).map((m) => ({ id: m, name: formatMonthJa(m) })),
    [],
  );
  const filters = [
    ...(staff ? [<TenantPicker key="tenant" alwaysOn />] : []),
    <SelectInput key="month" source="month" choices={monthChoices} alwaysOn label="resources.invoices.fields.month" />,
    <SelectInput
      key="status"
      source="status"
      choices={statusChoices}
      alwaysOn
      label="resources.invoices.fields.status"
    />,
    <SelectInput key="kind" source="kind" choices={kindChoices} label="resources.invoices.fields.kind" />,
  ];
  return (
    <List
      exporter={false}
      filters={filters}
      sort={{ field: 'month', order: 'DESC' }}
      perPage={25}
      filterDefaultValues={staff ? { month: previousMonth() } : {}}
      actions={false}
    >
      <InvoiceTotals />
      <InvoiceGrid staff={staff} showTenant={staff} />
    </List>
  );
}

/** One invoice: its lines and totals; back office issues, voids or credits it; everyone downloads the PDF. */
function InvoiceDetail() {
  const invoice = useRecordContext<InvoiceFieldsFragment>();
  const { permissions } = usePermissions<Role[]>();
  const [dialog, setDialog] = useState<'void' | 'credit' | null>(null);
  const refresh = useRefresh();
  if (!invoice) return null;
  return (
    <Box sx={{ p: 2 }}>
      <Typography>
        <Link to={`/tenants/${encodeURIComponent(invoice.tenantId)}/show`}>
          {invoice.tenant?.name ?? invoice.tenantId}
        </Link>
      </Typography>
      <InvoiceCard invoice={invoice} staff={isStaff(permissions)} onChanged={refresh} onDialog={setDialog} />
      {dialog && <InvoiceDialog kind={dialog} invoice={invoice} onClose={() => setDialog(null)} onDone={refresh} />}
    </Box>
  );
}

export const InvoiceShow = () => (
  <Show actions={false}>
    <InvoiceDetail />
  </Show>
);

/**
 * Back office closes a tenant's month (a draft to check before issuing). A month already issued is
 * said to be so: the close gives the issued invoice back and creates nothing.
 */
export function CloseMonthForm({ tenantId, onClosed }: { tenantId: string; onClosed?: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [month, setMonth] = useState(previousMonth);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const { closeMonth } = await request(CloseMonth, { tenantId, month });
      if (closeMonth.status === 'DRAFT') {
        notify(translate('resources.invoices.closed', { month: formatMonth(month) }), { type: 'success' });
      } else {
        notify(
          translate('resources.invoices.alreadyIssued', {
            month: formatMonth(month),
            number: closeMonth.number ?? '',
            status: translate(`resources.invoices.status.${closeMonth.status}`),
          }),
          { type: 'info' },
        );
      }
      onClosed?.();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack component="form" onSubmit={submit} direction={{ xs: 'column', sm: 'row' }} spacing={1}>
      <MonthPicker
        label={translate('resources.invoices.fields.month')}
        value={month}
        onChange={setMonth}
        latest={shiftMonth(thisMonth(), -1)}
      />
      <Button type="submit" variant="outlined" disabled={busy}>
        {translate('resources.invoices.closeMonth')}
      </Button>
    </Stack>
  );
}

/**
 * 支払期限 and 振込先 printed on invoices (back office, platform admins). Invoices keep the
 * settings they were issued with; a change applies to the next ones issued.
 */
export function InvoiceSettingsPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const [settings, setSettings] = useState<InvoiceSettingsFieldsFragment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    request(InvoiceSettings, {}).then(
      ({ invoiceSettings }) => setSettings(invoiceSettings),
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, []);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!settings) return;
    setBusy(true);
    try {
      const { updateInvoiceSettings } = await request(UpdateInvoiceSettings, {
        input: {
          paymentTerms: settings.paymentTerms,
          paymentTermDays: Number(settings.paymentTermDays),
          bankAccount: settings.bankAccount,
        },
      });
      setSettings(updateInvoiceSettings);
      notify('resources.invoiceSettings.saved', { type: 'success' });
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card sx={{ mt: 2, maxWidth: 720 }}>
      <Title title={translate('resources.invoiceSettings.name')} />
      <CardContent>
        {error && <Alert severity="error">{error}</Alert>}
        {settings && (
          <Stack component="form" onSubmit={save} spacing={2}>
            <Typography color="text.secondary">{translate('resources.invoiceSettings.help')}</Typography>
            {!settings.updatedAt && <Alert severity="info">{translate('resources.invoiceSettings.defaults')}</Alert>}
            <MuiTextField
              select
              label={translate('resources.invoiceSettings.paymentTerms')}
              value={settings.paymentTerms}
              onChange={(e) => setSettings({ ...settings, paymentTerms: e.target.value as PaymentTerms })}
            >
              <MenuItem value="END_OF_NEXT_MONTH">
                {translate('resources.invoiceSettings.terms.END_OF_NEXT_MONTH')}
              </MenuItem>
              <MenuItem value="DAYS_AFTER_ISSUE">
                {translate('resources.invoiceSettings.terms.DAYS_AFTER_ISSUE')}
              </MenuItem>
            </MuiTextField>
            {settings.paymentTerms === 'DAYS_AFTER_ISSUE' && (
              <MuiTextField
                type="number"
                label={translate('resources.invoiceSettings.paymentTermDays')}
                value={settings.paymentTermDays}
                onChange={(e) => setSettings({ ...settings, paymentTermDays: Number(e.target.value) })}
                slotProps={{ htmlInput: { min: 1, max: 365, step: 1 } }}
                required
              />
            )}
            <MuiTextField
              label={translate('resources.invoiceSettings.bankAccount')}
              helperText={translate('resources.invoiceSettings.bankAccountHelp')}
              value={settings.bankAccount}
              onChange={(e) => setSettings({ ...settings, bankAccount: e.target.value })}
              multiline
              minRows={2}
              required
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
            <Box>
              <Button type="submit" variant="contained" disabled={busy}>
                {translate('ra.action.save')}
              </Button>
            </Box>
          </Stack>
        )}
      </CardContent>
    </Card>
  );
}
