import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableFooter,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { Title, useNotify, usePermissions, useTranslate } from 'react-admin';
import { currentSession, type Role } from '../auth/session';
import { formatDate, formatMonth } from '../format/date';
import { formatYen } from '../format/yen';
import { request } from '../graphql/client';
import type { InvoiceFieldsFragment } from '../graphql/types';
import { downloadPdf } from './downloadPdf';
import { CloseMonth, CreateCreditNote, Invoices, IssueInvoice, VoidInvoice } from './operations';

const previousMonth = () => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
};

/**
 * Invoices of one tenant. Back office picks the tenant, closes a month (draft), issues, voids,
 * corrects with credit notes; tenant admins see their own issued invoices. Everyone downloads PDFs.
 */
export function InvoicesPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { permissions } = usePermissions<Role[]>();
  const staff = (permissions ?? []).some((r) => r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN');
  const [tenantInput, setTenantInput] = useState(currentSession()?.user.tenant.id ?? '');
  const [tenantId, setTenantId] = useState<string | null>(null);
  const [month, setMonth] = useState(previousMonth);
  const [invoices, setInvoices] = useState<InvoiceFieldsFragment[]>([]);
  const [dialog, setDialog] = useState<{ kind: 'void' | 'credit'; invoice: InvoiceFieldsFragment } | null>(null);

  const fail = useCallback(
    (err: unknown) => notify(err instanceof Error ? err.message : String(err), { type: 'error' }),
    [notify],
  );

  const load = useCallback(
    async (id: string | null) => {
      try {
        setInvoices((await request(Invoices, { tenantId: staff ? id : null })).invoices);
      } catch (err) {
        fail(err);
      }
    },
    [staff, fail],
  );

  useEffect(() => {
    if (!staff) void load(null);
  }, [staff, load]);

  const show = (e: FormEvent) => {
    e.preventDefault();
    setTenantId(tenantInput.trim());
    void load(tenantInput.trim());
  };

  const closeMonth = async (e: FormEvent) => {
    e.preventDefault();
    if (!tenantId) return;
    try {
      await request(CloseMonth, { tenantId, month });
      notify(translate('resources.invoices.closed', { month: formatMonth(month) }), { type: 'success' });
      await load(tenantId);
    } catch (err) {
      fail(err);
    }
  };

  const act = async (fn: () => Promise<string>) => {
    try {
      notify(await fn(), { type: 'success' });
      await load(tenantId);
    } catch (err) {
      fail(err);
    }
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('resources.invoices.name')} />
      <CardContent>
        {staff && (
          <Stack spacing={1} sx={{ mb: 2 }}>
            <Stack component="form" onSubmit={show} direction={{ xs: 'column', sm: 'row' }} spacing={1}>
              <TextField
                label={translate('resources.invoices.tenantId')}
                value={tenantInput}
                onChange={(e) => setTenantInput(e.target.value)}
                size="small"
                sx={{ minWidth: 360 }}
              />
              <Button type="submit" variant="outlined">
                {translate('resources.invoices.show')}
              </Button>
            </Stack>
            {tenantId && (
              <Stack component="form" onSubmit={closeMonth} direction={{ xs: 'column', sm: 'row' }} spacing={1}>
                <TextField
                  label={translate('resources.invoices.month')}
                  value={month}
                  onChange={(e) => setMonth(e.target.value)}
                  size="small"
                  slotProps={{ htmlInput: { pattern: '\\d{4}-\\d{2}' } }}
                />
                <Button type="submit" variant="contained">
                  {translate('resources.invoices.closeMonth')}
                </Button>
              </Stack>
            )}
          </Stack>
        )}
        {invoices.length === 0 && (
          <Typography color="text.secondary">{translate('resources.invoices.empty')}</Typography>
        )}
        {invoices.map((invoice) => (
          <InvoiceCard
            key={invoice.id}
            invoice={invoice}
            staff={staff}
            onIssue={() =>
              act(async () => {
                const { issueInvoice } = await request(IssueInvoice, { id: invoice.id });
                return translate('resources.invoices.issued', { number: issueInvoice.number ?? '' });
              })
            }
            onVoid={() => setDialog({ kind: 'void', invoice })}
            onCredit={() => setDialog({ kind: 'credit', invoice })}
            onPdf={() => downloadPdf(invoice.pdfPath, `${invoice.number ?? `draft-${invoice.month}`}.pdf`).catch(fail)}
          />
        ))}
      </CardContent>
      {dialog && (
        <InvoiceDialog
          kind={dialog.kind}
          onClose={() => setDialog(null)}
          onSubmit={(values) =>
            act(async () => {
              setDialog(null);
              if (dialog.kind === 'void') {
                await request(VoidInvoice, { id: dialog.invoice.id, reason: values.text });
                return translate('resources.invoices.voided');
              }
              const { createCreditNote } = await request(CreateCreditNote, {
                invoiceId: dialog.invoice.id,
                description: values.text,
                amountYen: Number(values.amount),
              });
              return translate('resources.invoices.credited', { number: createCreditNote.number ?? '' });
            })
          }
        />
      )}
    </Card>
  );
}

interface CardProps {
  invoice: InvoiceFieldsFragment;
  staff: boolean;
  onIssue: () => void;
  onVoid: () => void;
  onCredit: () => void;
  onPdf: () => void;
}

function InvoiceCard({ invoice, staff, onIssue, onVoid, onCredit, onPdf }: CardProps) {
  const translate = useTranslate();
  const title = `${translate(`resources.invoices.kind.${invoice.kind}`)} ${invoice.number ?? translate('resources.invoices.draft')} — ${formatMonth(invoice.month)}`;
  return (
    <Box
      component="article"
      aria-label={title}
      sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2, mb: 2 }}
      data-testid="invoice"
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="h6" component="h2">
          {title}
        </Typography>
        <Chip label={translate(`resources.invoices.status.${invoice.status}`)} size="small" />
      </Stack>
      <Typography variant="body2">
        {translate('resources.invoices.recipient')}: {invoice.recipientName} ／ {translate('resources.invoices.period')}
        : {formatDate(invoice.periodStart)} 〜 {formatDate(invoice.periodEnd)}
      </Typography>
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label={translate('resources.invoices.lines')}>
          <TableBody>
            {invoice.lines.map((line) => (
              <TableRow key={`${line.kind}-${line.description}-${line.unitPriceYen}`}>
                <TableCell>{line.description}</TableCell>
                <TableCell align="right">{line.quantity}</TableCell>
                <TableCell align="right">{formatYen(line.unitPriceYen)}</TableCell>
                <TableCell align="right">{formatYen(line.amountYen)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
          <TableFooter>
            <TableRow>
              <TableCell colSpan={3}>{translate('resources.invoices.subtotal')}</TableCell>
              <TableCell align="right">{formatYen(invoice.subtotalYen)}</TableCell>
            </TableRow>
            {invoice.taxes.map((t) => (
              <TableRow key={t.taxRatePercent}>
                <TableCell colSpan={3}>
                  {translate('resources.invoices.tax')}（{t.taxRatePercent}%）
                </TableCell>
                <TableCell align="right">{formatYen(t.taxYen)}</TableCell>
              </TableRow>
            ))}
            <TableRow>
              <TableCell colSpan={3}>{translate('resources.invoices.total')}</TableCell>
              <TableCell align="right" data-testid="invoice-total">
                {formatYen(invoice.totalYen)}
              </TableCell>
            </TableRow>
          </TableFooter>
        </Table>
      </Box>
      <Stack direction="row" spacing={1} sx={{ mt: 1, flexWrap: 'wrap' }}>
        {staff && invoice.status === 'DRAFT' && (
          <Button variant="contained" onClick={onIssue}>
            {translate('resources.invoices.issue')}
          </Button>
        )}
        {staff && invoice.status === 'ISSUED' && invoice.kind === 'INVOICE' && (
          <>
            <Button onClick={onVoid}>{translate('resources.invoices.void')}</Button>
            <Button onClick={onCredit}>{translate('resources.invoices.creditNote')}</Button>
          </>
        )}
        <Button variant="outlined" onClick={onPdf}>
          {translate('resources.invoices.pdf')}
        </Button>
      </Stack>
    </Box>
  );
}

function InvoiceDialog({
  kind,
  onClose,
  onSubmit,
}: {
  kind: 'void' | 'credit';
  onClose: () => void;
  onSubmit: (values: { text: string; amount: string }) => void;
}) {
  const translate = useTranslate();
  const [text, setText] = useState('');
  const [amount, setAmount] = useState('');
  return (
    <Dialog open onClose={onClose} aria-labelledby="invoice-dialog-title">
      <Box
        component="form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSubmit({ text, amount });
        }}
      >
        <DialogTitle id="invoice-dialog-title">
          {translate(kind === 'void' ? 'resources.invoices.void' : 'resources.invoices.creditNote')}
        </DialogTitle>
        <DialogContent>
          <TextField
            label={translate(
              kind === 'void' ? 'resources.invoices.voidReason' : 'resources.invoices.creditDescription',
            )}
            value={text}
            onChange={(e) => setText(e.target.value)}
            required
            fullWidth
            margin="dense"
            autoFocus
          />
          {kind === 'credit' && (
            <TextField
              label={translate('resources.invoices.creditAmount')}
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              required
              fullWidth
              margin="dense"
              type="number"
              slotProps={{ htmlInput: { min: 1, step: 1 } }}
            />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
          <Button type="submit" variant="contained">
            {translate('ra.action.confirm')}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
