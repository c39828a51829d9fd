import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useId, useState } from 'react';
import { Title, useNotify, useTranslate } from 'react-admin';
import { request } from '../graphql/client';
import type { CsvEncoding, ImportCustomersCsvMutation } from '../graphql/types';
import { ImportCustomersCsv } from './operations';

type Report = ImportCustomersCsvMutation['importCustomersCsv'];

const toBase64 = async (file: File) => {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

/** Tenant admins import customers from CSV: a dry run reports what would happen, then the import. */
export function CustomerImportPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const fileId = useId();
  const encodingLabelId = useId();
  const [file, setFile] = useState<File | null>(null);
  // Excel and FileMaker in Japan export Shift_JIS.
  const [encoding, setEncoding] = useState<CsvEncoding>('SHIFT_JIS');
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    try {
      const { importCustomersCsv } = await request(ImportCustomersCsv, {
        input: { contentBase64: await toBase64(file), encoding, dryRun },
      });
      setReport(importCustomersCsv);
      if (!dryRun) notify(translate('resources.customerImport.done'), { type: 'success' });
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('resources.customerImport.name')} />
      <CardContent>
        <Stack spacing={2} sx={{ maxWidth: 560 }}>
          <Box>
            <InputLabel htmlFor={fileId}>{translate('resources.customerImport.file')}</InputLabel>
            <input
              id={fileId}
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setReport(null);
              }}
            />
          </Box>
          <FormControl size="small">
            <InputLabel id={encodingLabelId}>{translate('resources.customerImport.encoding')}</InputLabel>
            <Select
              labelId={encodingLabelId}
              label={translate('resources.customerImport.encoding')}
              value={encoding}
              onChange={(e) => setEncoding(e.target.value as CsvEncoding)}
            >
              <MenuItem value="SHIFT_JIS">Shift_JIS（Excel）</MenuItem>
              <MenuItem value="UTF8">UTF-8</MenuItem>
            </Select>
          </FormControl>
          <Stack direction="row" spacing={1}>
            <Button variant="outlined" disabled={!file || busy} onClick={() => void run(true)}>
              {translate('resources.customerImport.dryRun')}
            </Button>
            <Button variant="contained" disabled={!file || busy || !report?.dryRun} onClick={() => void run(false)}>
              {translate('resources.customerImport.import')}
            </Button>
          </Stack>
        </Stack>
        {report && <ImportReportView report={report} />}
      </CardContent>
    </Card>
  );
}

function ImportReportView({ report }: { report: Report }) {
  const translate = useTranslate();
  return (
    <Box component="section" aria-labelledby="import-report-heading" sx={{ mt: 3 }} data-testid="import-report">
      <Typography variant="h6" component="h2" id="import-report-heading">
        {translate(report.dryRun ? 'resources.customerImport.dryRunReport' : 'resources.customerImport.report')}
      </Typography>
      <Typography role="status" data-testid="import-summary">
        {translate('resources.customerImport.summary', {
          created: report.created,
          updated: report.updated,
          rejected: report.rejected,
        })}
      </Typography>
      {report.unmappedColumns.length > 0 && (
        <Alert severity="warning" sx={{ my: 1 }}>
          {translate('resources.customerImport.unmapped', { columns: report.unmappedColumns.join('、') })}
        </Alert>
      )}
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('resources.customerImport.line')}</TableCell>
              <TableCell>{translate('resources.customerImport.action')}</TableCell>
              <TableCell>{translate('resources.customerImport.customer')}</TableCell>
              <TableCell>{translate('resources.customerImport.problems')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {report.rows.map((row) => (
              <TableRow key={row.line}>
                <TableCell>{row.line}</TableCell>
                <TableCell>{translate(`resources.customerImport.actions.${row.action}`)}</TableCell>
                <TableCell>{[row.name, row.externalId].filter(Boolean).join(' / ')}</TableCell>
                <TableCell>{row.problems.join(' ')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
}
