import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  FormControl,
  InputLabel,
  LinearProgress,
  MenuItem,
  Select,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useId, useState } from 'react';
import { Title, useNotify, useTranslate } from 'react-admin';
import { CustomFieldDefinitions } from '../customFields/operations';
import { request } from '../graphql/client';
import { errorMessageJa } from '../graphql/errorMessage';
import type { ImportJobProgressQuery } from '../graphql/types';
import { ImportJobProgress } from './operations';
import {
  type CsvEncoding,
  completeMapping,
  customTarget,
  mappingColumns,
  newJobId,
  percentRead,
  rowsForReview,
  sameMapping,
  standardTargets,
} from './rules';
import { type ImportReport, ImportUploadError, uploadCsv } from './upload';

type Job = NonNullable<ImportJobProgressQuery['importJob']>;
type Mapping = Record<string, string>;
/** A report with the options it was made with, so an import only follows a dry run of the same choices. */
interface ReportOf {
  report: ImportReport;
  encoding: CsvEncoding;
  mapping: Mapping;
}
interface Failure {
  code: string;
  message: string;
}

const POLL_MS = 1_000;
/** Counts as 1,234 (the same grouping in both languages). */
const count = (n: number) => n.toLocaleString('ja-JP');

/**
 * Tenant admins import customers from CSV: a dry run reports what would happen, then the import.
 * The file goes as it is to `POST /v1/customers/import` (streamed by the customers service, no size
 * cap of GraphQL bodies); while it runs, `importJob(jobId)` is polled for progress. Columns the
 * importer does not know can be mapped to a customer field and the dry run repeated.
 */
export function CustomerImportPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const fileId = useId();
  const encodingLabelId = useId();
  const [file, setFile] = useState<File | null>(null);
  // Excel and FileMaker in Japan export Shift_JIS.
  const [encoding, setEncoding] = useState<CsvEncoding>('SHIFT_JIS');
  const [mapping, setMapping] = useState<Mapping>({});
  const [result, setResult] = useState<ReportOf | null>(null);
  const [running, setRunning] = useState<{ jobId: string; dryRun: boolean } | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [customFields, setCustomFields] = useState<{ key: string; label: string }[]>([]);

  useEffect(() => {
    let live = true;
    request(CustomFieldDefinitions, {})
      .then(({ customFieldDefinitions }) => {
        if (live) setCustomFields(customFieldDefinitions);
      })
      .catch(() => undefined); // the standard fields are still offered
    return () => {
      live = false;
    };
  }, []);

  // About once a second while an upload is in flight; stops when it settles, succeeds or fails.
  useEffect(() => {
    if (!running) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const { importJob } = await request(ImportJobProgress, { id: running.jobId });
        if (stopped) return;
        if (importJob) {
          setJob(importJob);
          if (importJob.status !== 'RUNNING') return;
        }
      } catch {
        // A missed poll is retried on the next tick; the upload's own answer is what counts.
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [running]);

  const run = async (dryRun: boolean) => {
    if (!file || running) return;
    const jobId = newJobId();
    const sent = { ...mapping };
    setRunning({ jobId, dryRun });
    setJob(null);
    setFailure(null);
    try {
      const report = await uploadCsv(file, { encoding, dryRun, jobId, mapping: sent });
      setResult({ report, encoding, mapping: sent });
      // Columns the importer left unmapped join the mapping form, ignored until the admin picks a field.
      setMapping((m) => completeMapping(mappingColumns(m, report.unmappedColumns), m));
      if (!dryRun) notify(translate('resources.customerImport.done'), { type: 'success' });
    } catch (err) {
      setFailure(await failureOf(err, jobId));
    } finally {
      setRunning(null);
    }
  };

  const busy = running !== null;
  const canImport =
    !!result?.report.dryRun && result.encoding === encoding && sameMapping(result.mapping, mapping) && !busy;
  const stale = !!result?.report.dryRun && !canImport && !busy;

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
              disabled={busy}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setResult(null);
                setMapping({});
                setFailure(null);
                setJob(null);
              }}
            />
          </Box>
          <FormControl size="small">
            <InputLabel id={encodingLabelId}>{translate('resources.customerImport.encoding')}</InputLabel>
            <Select
              labelId={encodingLabelId}
              label={translate('resources.customerImport.encoding')}
              value={encoding}
              disabled={busy}
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
            <Button variant="contained" disabled={!file || !canImport} onClick={() => void run(false)}>
              {translate('resources.customerImport.import')}
            </Button>
          </Stack>
          {stale && (
            <Typography variant="body2" color="text.secondary">
              {translate('resources.customerImport.mapping.stale')}
            </Typography>
          )}
          {running && <ImportProgress job={job} />}
          {failure && <ImportFailure failure={failure} />}
        </Stack>
        {Object.keys(mapping).length > 0 && (
          <MappingForm
            mapping={mapping}
            customFields={customFields}
            disabled={busy}
            onChange={(column, field) => setMapping((m) => ({ ...m, [column]: field }))}
            onDryRun={() => void run(true)}
          />
        )}
        {result && <ImportReportView report={result.report} />}
      </CardContent>
    </Card>
  );
}

/** The failure to show: the server's `{code, message}`, or the job's own error when the connection dropped. */
async function failureOf(err: unknown, jobId: string): Promise<Failure> {
  if (err instanceof ImportUploadError) {
    if (err.status === 0) {
      const job = await request(ImportJobProgress, { id: jobId })
        .then((r) => r.importJob)
        .catch(() => null);
      // The job keeps only the code and the Japanese message (no params): the catalogue's text when
      // the code needs none, else the stored message (an internal failure's is not Japanese).
      if (job?.status === 'FAILED' && job.errorCode)
        return { code: job.errorCode, message: errorMessageJa(job.errorCode, { message: job.errorMessage }) };
    }
    return { code: err.code, message: err.message };
  }
  console.error(err);
  return { code: 'UNKNOWN', message: errorMessageJa('UNKNOWN') };
}

/**
 * The file is still arriving: the server keeps it before it reads any row (so no upload holds a
 * database connection), so rows stay at 0 until every byte is in.
 */
const receiving = (job: Job, percent: number | null) => job.rowsProcessed === 0 && job.bytesRead > 0 && percent !== 100;

function ImportProgress({ job }: { job: Job | null }) {
  const translate = useTranslate();
  const percent = percentRead(job);
  return (
    <Box data-testid="import-progress">
      <LinearProgress
        variant={percent === null ? 'indeterminate' : 'determinate'}
        value={percent ?? undefined}
        aria-label={translate('resources.customerImport.progressLabel')}
      />
      <Typography variant="body2" role="status" sx={{ mt: 0.5 }}>
        {job && receiving(job, percent)
          ? translate('resources.customerImport.receiving', {
              read: percent === null ? `${count(Math.round(job.bytesRead / 1024))} KB` : `${percent}%`,
            })
          : job
            ? translate('resources.customerImport.progress', {
                rows: count(job.rowsProcessed),
                created: count(job.created),
                updated: count(job.updated),
                rejected: count(job.rejected),
              })
            : translate('resources.customerImport.uploading')}
      </Typography>
    </Box>
  );
}

function ImportFailure({ failure }: { failure: Failure }) {
  const translate = useTranslate();
  const network = failure.code === 'NETWORK_ERROR';
  return (
    <Alert severity="error" data-testid="import-error">
      <AlertTitle>
        {translate(`resources.customerImport.errors.${failure.code}`, {
          _: translate('resources.customerImport.errors.title'),
        })}
      </AlertTitle>
      {network ? translate('resources.customerImport.errors.networkHint') : failure.message}
    </Alert>
  );
}

function MappingForm({
  mapping,
  customFields,
  disabled,
  onChange,
  onDryRun,
}: {
  mapping: Mapping;
  customFields: { key: string; label: string }[];
  disabled: boolean;
  onChange: (column: string, field: string) => void;
  onDryRun: () => void;
}) {
  const translate = useTranslate();
  const headingId = useId();
  return (
    <Box component="section" aria-labelledby={headingId} sx={{ mt: 3, maxWidth: 560 }} data-testid="import-mapping">
      <Typography variant="h6" component="h2" id={headingId}>
        {translate('resources.customerImport.mapping.title')}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {translate('resources.customerImport.mapping.help')}
      </Typography>
      <Stack spacing={2}>
        {Object.entries(mapping).map(([column, field]) => (
          <TextField
            key={column}
            select
            size="small"
            label={translate('resources.customerImport.mapping.column', { column })}
            value={field}
            disabled={disabled}
            onChange={(e) => onChange(column, e.target.value)}
            slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
          >
            <option value="">{translate('resources.customerImport.mapping.ignore')}</option>
            <optgroup label={translate('resources.customerImport.mapping.standard')}>
              {standardTargets.map((t) => (
                <option key={t} value={t}>
                  {translate(`resources.customerImport.targets.${t}`)}
                </option>
              ))}
            </optgroup>
            {customFields.length > 0 && (
              <optgroup label={translate('resources.customerImport.mapping.custom')}>
                {customFields.map((d) => (
                  <option key={d.key} value={customTarget(d.key)}>
                    {d.label}
                  </option>
                ))}
              </optgroup>
            )}
          </TextField>
        ))}
        <Box>
          <Button variant="outlined" disabled={disabled} onClick={onDryRun}>
            {translate('resources.customerImport.mapping.rerun')}
          </Button>
        </Box>
      </Stack>
    </Box>
  );
}

function ImportReportView({ report }: { report: ImportReport }) {
  const translate = useTranslate();
  return (
    <Box component="section" aria-labelledby="import-report-heading" sx={{ mt: 3 }} data-testid="import-report">
      <Typography variant="h6" component="h2" id="import-report-heading">
        {translate(report.dryRun ? 'resources.customerImport.dryRunReport' : 'resources.customerImport.report')}
      </Typography>
      <Typography role="status" data-testid="import-summary">
        {translate('resources.customerImport.summary', {
          created: count(report.created),
          updated: count(report.updated),
          rejected: count(report.rejected),
        })}
      </Typography>
      {report.unmappedColumns.length > 0 && (
        <Alert severity="warning" sx={{ my: 1 }} data-testid="import-unmapped">
          {translate('resources.customerImport.unmapped', { columns: report.unmappedColumns.join('、') })}
        </Alert>
      )}
      {report.rowsTruncated && (
        <Typography variant="body2" color="text.secondary" sx={{ my: 1 }}>
          {translate('resources.customerImport.rowsTruncated', { shown: count(report.rows.length) })}
        </Typography>
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
            {rowsForReview(report.rows).map((row) => (
              <TableRow
                key={row.line}
                sx={row.problems.length > 0 ? { backgroundColor: 'rgba(211, 47, 47, 0.06)' } : undefined}
              >
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
