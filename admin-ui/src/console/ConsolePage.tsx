import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { Alert, AlertTitle, Box, Button, Chip, List, ListItem, ListItemText, Stack, Typography } from '@mui/material';
import { Fragment, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Title, useLocaleState, useLogout, useTranslate } from 'react-admin';
import { currentSession } from '../auth/session';
import { formatDateTime } from '../format/date';
import { formatCaller } from '../format/phone';
import { openCompactWindow } from '../pwa/DesktopSetupPage';
import { notifyPopup, onNotificationClick } from '../pwa/pwa';
import { CallQueueRow } from './CallQueueRow';
import { callQueue } from './callQueue';
import { DesktopPairingPanel } from './DesktopPairingPanel';
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
  'LEASE_TAKEN_OVER',
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
  // The operator's own expand/collapse choices, by popup id (callQueue.ts decides the rest).
  const [expandedByHand, setExpandedByHand] = useState<Record<string, boolean>>({});
  const setExpanded = useCallback(
    (popupId: string, expanded: boolean) => setExpandedByHand((e) => ({ ...e, [popupId]: expanded })),
    [],
  );
  // A call without any update stops counting as ringing after a while: look again twice a minute.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const opened = useRef(new Set<string>());
  const meId = currentSession()?.user?.id;
  const queue = useMemo(
    () => callQueue(state.popups, state.calls, { meId, overrides: expandedByHand, now: Math.max(now, Date.now()) }),
    [state.popups, state.calls, meId, expandedByHand, now],
  );

  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);

  // A clicked notification (through the service worker, or opened at /console#popup-<id>) brings
  // that popup's card into view with the keyboard focus on its heading, once it is on screen.
  const [focusRequest, setFocusRequest] = useState<string | null>(null);
  const focusPopup = useCallback(
    (popupId: string) => {
      window.focus();
      // A folded call unfolds first: the card and its heading are what gets the focus.
      setExpanded(popupId, true);
      setFocusRequest(popupId);
    },
    [setExpanded],
  );
  useEffect(() => onNotificationClick(focusPopup), [focusPopup]);
  // Opening a folded call moves the focus to its card's heading; folding it, back to its row.
  const toggle = useCallback(
    (popupId: string, expanded: boolean) => {
      setExpanded(popupId, expanded);
      setFocusRequest(popupId);
    },
    [setExpanded],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: the popups are the trigger to try again
  useEffect(() => {
    if (!focusRequest) return;
    const id = CSS.escape(focusRequest);
    const card = document.querySelector<HTMLElement>(`[data-popup-id="${id}"]`);
    const row = document.querySelector<HTMLElement>(`[data-popup-row="${id}"]`);
    const target = card && card.offsetParent !== null ? card.querySelector<HTMLElement>('h2') : row;
    if (!target) return;
    target.scrollIntoView({ block: target === row ? 'nearest' : 'start' });
    target.focus();
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

      {!compact && <DesktopPairingPanel onPaired={() => feed.restart()} />}

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
        <Stack spacing={1} component="section" aria-label={translate('console.title')} data-testid="call-queue">
          {state.popups.length === 0 && <Typography color="text.secondary">{translate('console.empty')}</Typography>}
          {/* Ringing calls on top; earlier calls one line each until the operator opens one. */}
          {queue.map(({ popup, ringing, expanded }) => {
            // A card once opened stays mounted while folded (hidden): its unsaved typing and the
            // notes shown so far survive folding it away and opening it again.
            if (expanded) opened.current.add(popup.popupId);
            return (
              <Fragment key={popup.popupId}>
                {!expanded && (
                  <CallQueueRow
                    popup={popup}
                    callUpdate={state.calls[popup.callId]}
                    ringing={ringing}
                    onExpand={() => toggle(popup.popupId, true)}
                  />
                )}
                {opened.current.has(popup.popupId) && (
                  <Box hidden={!expanded}>
                    <PopupCard
                      popup={popup}
                      focusOnMount={popup.popupId === state.lastArrivedId}
                      onChange={(change) => feed.update(popup.popupId, change)}
                      callUpdate={state.calls[popup.callId]}
                      ringing={ringing}
                      onCollapse={() => toggle(popup.popupId, false)}
                    />
                  </Box>
                )}
              </Fragment>
            );
          })}
        </Stack>
        <MissedCallsPanel reloadKey={state.missedVersion} />
      </Box>
    </Box>
  );
}
