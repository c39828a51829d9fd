import { Alert, Button, Card, CardContent, List, ListItem, ListItemText, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { Loading, Title, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { formatDateTime } from '../format/date';
import { request } from '../graphql/client';
import type { ActiveLeasesQuery, ConnectionUsageQuery } from '../graphql/types';
import { ActiveLeases, ConnectionUsage, EndLease } from './operations';
import { PeakChart } from './PeakChart';

const WINDOW_MS = 30 * 24 * 3600_000;

/** Tenant admins: who is connected now, the peak over 30 days and how many packs that calls for (docs/product-rules.md#concurrent-connections). */
export function ConcurrencyPage() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const [leases, setLeases] = useState<ActiveLeasesQuery['activeLeases'] | null>(null);
  const [usage, setUsage] = useState<ConnectionUsageQuery['connectionUsage'] | null>(null);

  const load = useCallback(async () => {
    try {
      const to = new Date();
      const [l, u] = await Promise.all([
        request(ActiveLeases, {}),
        request(ConnectionUsage, { from: new Date(to.getTime() - WINDOW_MS).toISOString(), to: to.toISOString() }),
      ]);
      setLeases(l.activeLeases);
      setUsage(u.connectionUsage);
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  }, [notify]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!leases || !usage) return <Loading />;

  const endLease = async (id: string) => {
    await request(EndLease, { id });
    await load();
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('resources.concurrency.name')} />
      <CardContent>
        <Typography>
          {translate('resources.concurrency.capacity', { capacity: usage.capacity, packs: usage.connectionPacks })}
        </Typography>
        <Typography>
          {translate('resources.concurrency.peak', { peak: usage.peak, refusals: usage.refusals })}
        </Typography>
        <Alert severity={usage.recommendation.packs > usage.connectionPacks ? 'warning' : 'info'} sx={{ my: 1 }}>
          {translate('resources.concurrency.recommendation', {
            packs: usage.recommendation.packs,
            capacity: usage.recommendation.capacity,
          })}
          {' — '}
          {usage.recommendation.message}
        </Alert>
        <Typography variant="h6" component="h2">
          {translate('resources.concurrency.chart')}
        </Typography>
        <PeakChart
          peaks={usage.dailyPeaks}
          capacity={usage.capacity}
          title={translate('resources.concurrency.chart')}
        />
        <Typography variant="h6" component="h2" sx={{ mt: 2 }}>
          {translate('resources.concurrency.active')}
        </Typography>
        <List dense>
          {leases.map((l) => (
            <ListItem
              key={l.id}
              secondaryAction={
                <Button
                  size="small"
                  onClick={() => void endLease(l.id)}
                  aria-label={`${translate('resources.concurrency.endLease')}: ${l.userName} ${l.label}`}
                >
                  {translate('resources.concurrency.endLease')}
                </Button>
              }
            >
              <ListItemText
                primary={`${l.userName} — ${l.label} (${l.deviceKind.toLowerCase()})`}
                secondary={formatDateTime(l.since, locale)}
              />
            </ListItem>
          ))}
        </List>
      </CardContent>
    </Card>
  );
}
