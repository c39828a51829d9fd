import {
  Alert,
  Button,
  Card,
  CardContent,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { Loading, Title, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { DEFAULT_TIME_ZONE } from '../../../libs/contracts/src/rules/time-zone';
import { currentSession } from '../auth/session';
import { MonthPicker } from '../fields/MonthPicker';
import { dateIn, datesBetween, daysOfMonth, formatMonthJa, monthIn, monthSoFar } from '../fields/months';
import { formatDateTime } from '../format/date';
import { request } from '../graphql/client';
import type { ActiveLeasesQuery, ConnectedPcsQuery, ConnectionUsageQuery } from '../graphql/types';
import { ActiveLeases, ConnectedPcs, ConnectionUsage, EndLease } from './operations';
import { PeakChart } from './PeakChart';

const DAY_MS = 24 * 3600_000;
/** The recommendation's own window (licensing's RECOMMENDATION_DAYS): the default view shows the same days. */
const RECOMMENDATION_DAYS = 30;

type Device =
  | { kind: 'lease'; id: string; user: string; device: string; label: string; since: string }
  | { kind: 'pc'; id: string; user: string; device: string; label: string; since: string | null };

/**
 * Tenant admins: who is connected now (web, mobile and desktop PCs), the daily peaks of the last 30
 * days or of a chosen month, and how many packs the last 30 days call for
 * (docs/product-rules.md#concurrent-connections).
 */
export function ConcurrencyPage() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const zone = currentSession()?.user.tenant.timezone ?? DEFAULT_TIME_ZONE;
  const thisMonth = monthIn(new Date(), zone);
  /** null: the last 30 days (the recommendation's window); else a month. */
  const [month, setMonth] = useState<string | null>(null);
  const [leases, setLeases] = useState<ActiveLeasesQuery['activeLeases'] | null>(null);
  const [pcs, setPcs] = useState<ConnectedPcsQuery['seats']>([]);
  const [usage, setUsage] = useState<ConnectionUsageQuery['connectionUsage'] | null>(null);
  const [days, setDays] = useState<string[]>([]);

  const load = useCallback(async () => {
    try {
      const now = new Date();
      const window = month
        ? monthSoFar(month, zone, now)
        : { start: new Date(now.getTime() - RECOMMENDATION_DAYS * DAY_MS), end: now };
      const [l, s, u] = await Promise.all([
        request(ActiveLeases, {}),
        request(ConnectedPcs, {}),
        request(ConnectionUsage, { from: window.start.toISOString(), to: window.end.toISOString() }),
      ]);
      setLeases(l.activeLeases);
      setPcs(s.seats.filter((p) => p.connected));
      setUsage(u.connectionUsage);
      setDays(
        month
          ? daysOfMonth(month).days
          : datesBetween(dateIn(window.start, zone), dateIn(new Date(window.end.getTime() - 1), zone)),
      );
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  }, [notify, month, zone]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!leases || !usage) return <Loading />;

  const endLease = async (id: string) => {
    await request(EndLease, { id });
    await load();
  };
  const rec = usage.recommendation;
  const period = month ? formatMonthJa(month) : translate('resources.concurrency.last30');
  const devices: Device[] = [
    ...leases.map((l) => ({
      kind: 'lease' as const,
      id: l.id,
      user: l.userName,
      device: translate(`resources.concurrency.device.${l.deviceKind}`),
      label: l.label,
      since: l.since,
    })),
    ...pcs.map((p) => ({
      kind: 'pc' as const,
      id: p.id,
      user: p.userName,
      device: translate('resources.concurrency.device.DESKTOP'),
      label: p.name,
      since: p.lastSeenAt ?? null,
    })),
  ];

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('resources.concurrency.name')} />
      <CardContent>
        <Typography data-testid="concurrency-capacity">
          {translate('resources.concurrency.capacity', { capacity: usage.capacity, packs: usage.connectionPacks })}
        </Typography>
        <Alert severity={rec.packs > usage.connectionPacks || rec.exceedsMaximum ? 'warning' : 'info'} sx={{ my: 1 }}>
          <span data-testid="concurrency-recommendation">
            {translate('resources.concurrency.recommendation', {
              peak: rec.peak,
              refusals: rec.refusals,
              packs: rec.packs,
              capacity: rec.capacity,
            })}
          </span>
          {rec.exceedsMaximum && <> {translate('resources.concurrency.exceedsMaximum')}</>}
        </Alert>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ my: 2, alignItems: { sm: 'center' } }}>
          <Button
            variant={month ? 'outlined' : 'contained'}
            size="small"
            onClick={() => setMonth(null)}
            sx={{ whiteSpace: 'nowrap', alignSelf: 'flex-start' }}
          >
            {translate('resources.concurrency.last30')}
          </Button>
          <MonthPicker
            label={translate('resources.concurrency.month')}
            value={month ?? ''}
            onChange={setMonth}
            latest={thisMonth}
          />
        </Stack>
        <Typography variant="h6" component="h2">
          {translate('resources.concurrency.chart')}（{period}）
        </Typography>
        <Typography data-testid="concurrency-peak">
          {translate('resources.concurrency.peak', { period, peak: usage.peak, refusals: usage.refusals })}
        </Typography>
        <PeakChart
          days={days}
          peaks={usage.dailyPeaks}
          capacity={usage.capacity}
          recommended={rec.capacity}
          title={`${translate('resources.concurrency.chart')}（${period}）`}
          labels={{
            capacity: translate('resources.concurrency.contracted'),
            recommended: translate('resources.concurrency.recommended'),
            axisDay: translate('resources.usage.axisDay'),
          }}
        />
        <Typography variant="h6" component="h2" sx={{ mt: 2 }}>
          {translate('resources.concurrency.active')}（{devices.length}）
        </Typography>
        {devices.length === 0 ? (
          <Typography color="text.secondary">{translate('resources.concurrency.none')}</Typography>
        ) : (
          <Table size="small" aria-label={translate('resources.concurrency.active')}>
            <TableHead>
              <TableRow>
                <TableCell>{translate('resources.concurrency.user')}</TableCell>
                <TableCell>{translate('resources.concurrency.deviceKind')}</TableCell>
                <TableCell>{translate('resources.concurrency.label')}</TableCell>
                <TableCell>{translate('resources.concurrency.since')}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {devices.map((d) => (
                <TableRow key={`${d.kind}-${d.id}`}>
                  <TableCell>{d.user}</TableCell>
                  <TableCell>{d.device}</TableCell>
                  <TableCell>{d.label}</TableCell>
                  <TableCell>{d.since ? formatDateTime(d.since, locale) : '—'}</TableCell>
                  <TableCell>
                    {d.kind === 'lease' && (
                      <Button
                        size="small"
                        onClick={() => void endLease(d.id)}
                        aria-label={`${translate('resources.concurrency.endLease')}: ${d.user} ${d.label}`}
                      >
                        {translate('resources.concurrency.endLease')}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
