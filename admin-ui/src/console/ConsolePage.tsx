import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { Alert, AlertTitle, Box, Button, Chip, List, ListItem, ListItemText, Stack, Typography } from '@mui/material';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Title, useLocaleState, useLogout, useTranslate } from 'react-admin';
import { formatDateTime } from '../format/date';
import { formatCaller } from '../format/phone';
import { openCompactWindow } from '../pwa/DesktopSetupPage';
import { notifyPopup, onNotificationClick } from '../pwa/pwa';
import { MissedCallsPanel } from './MissedCallsPanel';
import { notificationState } from './notifications';
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
export function ConsolePage({ compact = false }: { compact?: boolean }) {
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

  // A clicked notification (through the service worker, or opened at /console#popup-<id>) brings
  // that popup's card into view with the keyboard focus on its heading, once it is on screen.
  const [focusRequest, setFocusRequest] = useState<string | null>(null);
  const focusPopup = useCallback((popupId: string) => {
    window.focus();
    setFocusRequest(popupId);
  }, []);
  useEffect(() => onNotificationClick(focusPopup), [focusPopup]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the popups are the trigger to try again
  useEffect(() => {
    if (!focusRequest) return;
    const card = document.querySelector<HTMLElement>(`[data-popup-id="${CSS.escape(focusRequest)}"]`);
    if (!card) return;
    card.scrollIntoView({ block: 'start' });
    card.querySelector<HTMLElement>('h2')?.focus();
    setFocusRequest(null);
  }, [focusRequest, state.popups]);

  useEffect(() => {
    feed.setOnPopup(
      (popup) =>
        void notifyPopup(
          translate('console.notifications.title', { caller: formatCaller(popup.caller, locale) }),
          `${translate(`popupClass.${popup.class}`)}${popup.customer ? ` — ${popup.customer.name}` : ''}`,
          popup.popupId,
          focusPopup,
        ),
    );
    return () => feed.setOnPopup(null);
  }, [feed, translate, locale, focusPopup]);

  const askNotifications = async () => setNotifications(await Notification.requestPermission());

  return (
    <Box component="main" sx={{ p: compact ? 1 : { xs: 1, sm: 2 }, maxWidth: 1100 }} data-compact={compact}>
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
        {!compact && (
          <Button startIcon={<OpenInNewIcon />} onClick={openCompactWindow} variant="text">
            {translate('console.compact')}
          </Button>
        )}
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

      <Box
        sx={{
          display: 'grid',
          gap: 2,
          // The compact window is one narrow column: the calls, then the missed ones.
          gridTemplateColumns: compact ? '1fr' : { xs: '1fr', md: '2fr 1fr' },
          alignItems: 'start',
        }}
      >
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
