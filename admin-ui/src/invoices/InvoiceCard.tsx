import {
  Box,
  Button,
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
import { type FormEvent, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { formatDate, formatMonth } from '../format/date';
import { formatYen } from '../format/yen';
import { request } from '../graphql/client';
import type { InvoiceFieldsFragment } from '../graphql/types';
import { downloadPdf } from './downloadPdf';
import { CreateCreditNote, IssueInvoice, VoidInvoice } from './operations';

interface CardProps {
  invoice: InvoiceFieldsFragment;
  staff: boolean;
  /** After an issue: the page reads the invoice again. */
  onChanged: () => void;
  onDialog: (kind: 'void' | 'credit') => void;
}

/** One invoice: its lines, totals per rate, 支払期限; back office issues, voids or credits it. */
export function InvoiceCard({ invoice, staff, onChanged, onDialog }: CardProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const fail = (err: unknown) => notify(err instanceof Error ? err.message : String(err), { type: 'error' });
  const onIssue = async () => {
    try {
      const { issueInvoice } = await request(IssueInvoice, { id: invoice.id });
      notify(translate('resources.invoices.issued', { number: issueInvoice.number ?? '' }), { type: 'success' });
      onChanged();
    } catch (err) {
      fail(err);
    }
  };
  const onPdf = () => downloadPdf(invoice.pdfPath, `${invoice.number ?? `draft-${invoice.month}`}.pdf`).catch(fail);
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
        {invoice.paymentDueDate && (
          <>
            {' ／ '}
            {translate('resources.invoices.fields.paymentDueDate')}: {formatDate(invoice.paymentDueDate)}
          </>
        )}
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
          <Button variant="contained" onClick={() => void onIssue()}>
            {translate('resources.invoices.issue')}
          </Button>
        )}
        {staff && invoice.status === 'ISSUED' && invoice.kind === 'INVOICE' && (
          <>
            <Button onClick={() => onDialog('void')}>{translate('resources.invoices.void')}</Button>
            <Button onClick={() => onDialog('credit')}>{translate('resources.invoices.creditNote')}</Button>
          </>
        )}
        <Button variant="outlined" onClick={() => void onPdf()}>
          {translate('resources.invoices.pdf')}
        </Button>
      </Stack>
    </Box>
  );
}

/** Voids an invoice (with a reason) or corrects it with a credit note. */
export function InvoiceDialog({
  kind,
  invoice,
  onClose,
  onDone,
}: {
  kind: 'void' | 'credit';
  invoice: InvoiceFieldsFragment;
  onClose: () => void;
  onDone: () => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const onSubmit = async (values: { text: string; amount: string }) => {
    try {
      if (kind === 'void') {
        await request(VoidInvoice, { id: invoice.id, reason: values.text });
        notify(translate('resources.invoices.voided'), { type: 'success' });
      } else {
        const { createCreditNote } = await request(CreateCreditNote, {
          invoiceId: invoice.id,
          description: values.text,
          amountYen: Number(values.amount),
        });
        notify(translate('resources.invoices.credited', { number: createCreditNote.number ?? '' }), {
          type: 'success',
        });
      }
      onClose();
      onDone();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  };
  const [text, setText] = useState('');
  const [amount, setAmount] = useState('');
  return (
    <Dialog open onClose={onClose} aria-labelledby="invoice-dialog-title">
      <Box
        component="form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void onSubmit({ text, amount });
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
