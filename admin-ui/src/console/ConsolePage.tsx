import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import { Alert, AlertTitle, Box, Button, Chip, List, ListItem, ListItemText, Stack, Typography } from '@mui/material';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Title, useLocaleState, useLogout, useTranslate } from 'react-admin';
import { formatDateTime } from '../format/date';
import { formatCaller } from '../format/phone';
import { MissedCallsPanel } from './MissedCallsPanel';
import { notificationState, notifyIfHidden } from './notifications';
import { PopupCard } from './PopupCard';
import { PopupFeed } from './popupFeed';

const statusSeverity = {
  connecting: 'info',
  live: 'success',
  reconnecting: 'warning',
  refused: 'error',
  expired: 'error',
  ended: 'error',
} as const;

/** Why a connection ended for good, by the close reason's code (libs/contracts live-close-codes). */
const endedReasons = new Set([
  'LEASE_ENDED',
  'USER_DISABLED',
  'SEAT_REQUIRED',
  'SEAT_OF_ANOTHER_USER',
  'SEAT_REVOKED',
  'BAD_REQUEST',
]);

/** The operator's screen: live popups, newest first, and the missed calls to return. */
export function ConsolePage() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const logout = useLogout();
  const feed = useMemo(() => new PopupFeed(), []);
  const state = useSyncExternalStore(feed.subscribe, feed.getState);
  const [notifications, setNotifications] = useState(notificationState);

  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);

  useEffect(() => {
    feed.setOnPopup((popup) =>
      notifyIfHidden(
        translate('console.notifications.title', { caller: formatCaller(popup.caller, locale) }),
        `${translate(`popupClass.${popup.class}`)}${popup.customer ? ` — ${popup.customer.name}` : ''}`,
        popup.popupId,
      ),
    );
    return () => feed.setOnPopup(null);
  }, [feed, translate, locale]);

  const askNotifications = async () => setNotifications(await Notification.requestPermission());

  return (
    <Box component="main" sx={{ p: { xs: 1, sm: 2 }, maxWidth: 1100 }}>
      <Title title={translate('console.title')} />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 2, alignItems: { sm: 'center' } }}>
        <Alert severity={statusSeverity[state.status]} role="status" sx={{ flexGrow: 1 }} data-testid="feed-status">
          {translate(`console.status.${state.status}`)}
        </Alert>
        {notifications === 'default' && (
          <Button startIcon={<NotificationsActiveIcon />} onClick={askNotifications} variant="outlined">
            {translate('console.notifications.enable')}
          </Button>
        )}
        {notifications === 'granted' && <Chip label={translate('console.notifications.enabled')} />}
        {notifications === 'denied' && <Chip label={translate('console.notifications.denied')} />}
      </Stack>

      {state.status === 'refused' && state.refusal && (
        <Alert severity="error" sx={{ mb: 2 }} role="alert" data-testid="connection-refused">
          <AlertTitle>{translate('console.status.refused')}</AlertTitle>
          {state.refusal.message && <Typography variant="body2">{state.refusal.message}</Typography>}
          {state.refusal.capacity !== null && (
            <Typography variant="body2">
              {translate('console.refusal.capacity', { capacity: state.refusal.capacity })}
            </Typography>
          )}
          {state.refusal.holders.length > 0 && (
            <>
              <Typography variant="subtitle2" component="h2" sx={{ mt: 1 }}>
                {translate('console.refusal.holders')}
              </Typography>
              <List dense>
                {state.refusal.holders.map((h) => (
                  <ListItem key={`${h.label}-${h.since ?? ''}`} disableGutters>
                    <ListItemText
                      primary={h.label}
                      secondary={
                        h.since ? translate('console.refusal.since', { time: formatDateTime(h.since, locale) }) : null
                      }
                    />
                  </ListItem>
                ))}
                {state.refusal.more > 0 && (
                  <ListItem disableGutters>
                    <ListItemText primary={translate('console.refusal.more', { count: state.refusal.more })} />
                  </ListItem>
                )}
              </List>
            </>
          )}
          <Button variant="contained" onClick={() => feed.start()} sx={{ mt: 1 }}>
            {translate('console.refusal.retry')}
          </Button>
        </Alert>
      )}

      {state.status === 'expired' && (
        <Alert severity="error" sx={{ mb: 2 }} role="alert">
          <Button variant="contained" onClick={() => logout()}>
            {translate('console.relogin')}
          </Button>
        </Alert>
      )}

      {state.status === 'ended' && (
        <Alert severity="error" sx={{ mb: 2 }} role="alert" data-testid="feed-ended">
          {translate(
            `console.ended.${state.refusal && endedReasons.has(state.refusal.code) ? state.refusal.code : 'OTHER'}`,
          )}
        </Alert>
      )}

      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '2fr 1fr' }, alignItems: 'start' }}>
        <Stack spacing={2} component="section" aria-label={translate('console.title')}>
          {state.popups.length === 0 && <Typography color="text.secondary">{translate('console.empty')}</Typography>}
          {state.popups.map((popup) => (
            <PopupCard
              key={popup.popupId}
              popup={popup}
              focusOnMount={popup.popupId === state.lastArrivedId}
              onChange={(change) => feed.update(popup.popupId, change)}
              callUpdate={state.calls[popup.callId]}
            />
          ))}
        </Stack>
        <MissedCallsPanel reloadKey={state.missedVersion} />
      </Box>
    </Box>
  );
}
