import PhoneCallbackIcon from '@mui/icons-material/PhoneCallback';
import { Button, List, ListItem, ListItemText, Paper, Stack, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatDateTime } from '../format/date';
import { formatCaller } from '../format/phone';
import { request } from '../graphql/client';
import type { MissedCallsQuery } from '../graphql/types';
import { setMissedBadge } from '../pwa/pwa';
import { MarkMissedCallsSeen, MissedCalls } from './operations';

const LOOKBACK_MS = 7 * 24 * 3600_000;
const REFRESH_MS = 30_000;

/**
 * Missed calls of the last week that this operator has not marked seen: the ones to call back.
 * `reloadKey` changes when the live feed reports a missed call, so the list updates at once.
 */
export function MissedCallsPanel({ reloadKey = 0 }: { reloadKey?: number }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [calls, setCalls] = useState<MissedCallsQuery['missedCalls']>([]);

  // The installed app's icon shows how many calls are waiting to be returned.
  useEffect(() => setMissedBadge(calls.length), [calls.length]);
  const load = useCallback(async () => {
    try {
      const { missedCalls } = await request(MissedCalls, { since: new Date(Date.now() - LOOKBACK_MS).toISOString() });
      setCalls(missedCalls.filter((m) => !m.seen));
    } catch {
      // Shown again on the next refresh; the popups matter more than this list.
    }
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey is the trigger to reload
  useEffect(() => {
    void load();
  }, [load, reloadKey]);

  useEffect(() => {
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const markSeen = async (id: string) => {
    await request(MarkMissedCallsSeen, { callIds: [id] });
    setCalls((list) => list.filter((m) => m.call.id !== id));
  };

  return (
    <Paper component="section" variant="outlined" sx={{ p: 2 }} aria-labelledby="missed-calls-heading">
      <Typography variant="h6" component="h2" id="missed-calls-heading">
        {translate('console.missed.title')}
      </Typography>
      {calls.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('console.missed.empty')}
        </Typography>
      ) : (
        <List dense>
          {calls.map(({ call }) => (
            <ListItem key={call.id} disableGutters data-testid="missed-call" sx={{ flexWrap: 'wrap' }}>
              <ListItemText
                primary={formatCaller(call.from, locale)}
                secondary={[formatDateTime(call.ringingAt, locale), call.line?.label].filter(Boolean).join(' — ')}
              />
              <Stack direction="row" spacing={1}>
                {!call.from.withheldReason && (
                  <Button
                    size="small"
                    variant="outlined"
                    startIcon={<PhoneCallbackIcon />}
                    href={`tel:${call.from.e164 ?? call.from.raw}`}
                    aria-label={`${translate('console.missed.callBack')}: ${formatCaller(call.from, locale)}`}
                  >
                    {translate('console.missed.callBack')}
                  </Button>
                )}
                <Button
                  size="small"
                  onClick={() => void markSeen(call.id)}
                  aria-label={`${translate('console.missed.markSeen')}: ${formatCaller(call.from, locale)}`}
                >
                  {translate('console.missed.markSeen')}
                </Button>
              </Stack>
            </ListItem>
          ))}
        </List>
      )}
    </Paper>
  );
}
