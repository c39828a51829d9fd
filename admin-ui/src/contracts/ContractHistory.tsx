import { Alert, Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useEffect, useId, useState } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { Link } from 'react-router-dom';
import { formatDate, formatMonth } from '../format/date';
import { formatYen } from '../format/yen';
import { request } from '../graphql/client';
import type { ContractHistoryQuery } from '../graphql/types';
import { ContractHistory as ContractHistoryOperation } from './operations';

type HistoryRow = ContractHistoryQuery['contracts'][number];

/**
 * A tenant's contracts, current and past, newest first: status, plan version, service start,
 * end month and termination fee. `revision` changes when the current contract does (e.g. it is
 * terminated on the page), so the history is read again.
 */
export function ContractHistory({ tenantId, revision }: { tenantId: string; revision?: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const headingId = useId();
  const [contracts, setContracts] = useState<HistoryRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision is a reason to read again, not a value used
  useEffect(() => {
    let current = true;
    setError(null);
    request(ContractHistoryOperation, { tenantId }).then(
      ({ contracts }) => current && setContracts(contracts),
      (err: unknown) => current && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      current = false;
    };
  }, [tenantId, revision]);
  return (
    <Box component="section" aria-labelledby={headingId} data-testid="contract-history">
      <Typography variant="h6" component="h2" id={headingId}>
        {translate('resources.contracts.history.title')}
      </Typography>
      {error && <Alert severity="error">{error}</Alert>}
      {contracts && contracts.length === 0 && (
        <Typography color="text.secondary">{translate('resources.contracts.history.empty')}</Typography>
      )}
      {contracts && contracts.length > 0 && (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-labelledby={headingId}>
            <TableHead>
              <TableRow>
                <TableCell>{translate('resources.contracts.fields.status')}</TableCell>
                <TableCell>{translate('resources.contracts.fields.planVersion')}</TableCell>
                <TableCell>{translate('resources.contracts.fields.serviceStartDate')}</TableCell>
                <TableCell>{translate('resources.contracts.fields.endMonth')}</TableCell>
                <TableCell align="right">{translate('resources.contracts.fields.terminationFeeYen')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {contracts.map((c) => (
                <TableRow key={c.id} data-testid="contract-history-row">
                  <TableCell>{translate(`resources.contracts.status.${c.status}`)}</TableCell>
                  <TableCell>
                    {/* Each past contract opens on its own page (its termination, packs and plan). */}
                    <Link to={`/contracts/${encodeURIComponent(c.id)}/show`}>
                      {`${c.planVersion.plan.name}（${c.planVersion.plan.code}）v${c.planVersion.version}`}
                    </Link>
                  </TableCell>
                  <TableCell>{formatDate(c.serviceStartDate, locale)}</TableCell>
                  <TableCell>{c.endMonth ? formatMonth(c.endMonth, locale) : '—'}</TableCell>
                  <TableCell align="right">
                    {c.terminationFeeYen === null || c.terminationFeeYen === undefined
                      ? '—'
                      : formatYen(c.terminationFeeYen)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </Box>
  );
}
