import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { Box, ButtonBase, Chip, Typography } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { currentSession } from '../auth/session';
import { formatTime } from '../format/date';
import { formatCaller } from '../format/phone';
import type { PopupFieldsFragment } from '../graphql/types';
import { describeCallUpdate } from './callStatus';
import type { CallUpdate } from './popupFeed';

/**
 * An earlier call folded into one line: time, caller, class, customer, status. A button with
 * aria-expanded: activating it shows the call's full popup card in its place.
 */
export function CallQueueRow({
  popup,
  callUpdate,
  ringing,
  onExpand,
}: {
  popup: PopupFieldsFragment;
  callUpdate?: CallUpdate;
  ringing: boolean;
  onExpand: () => void;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const me = currentSession()?.user;
  const handlers = popup.handledBy ?? [];
  const described = callUpdate ? describeCallUpdate(callUpdate, me?.id, handlers) : null;
  const status = ringing
    ? translate('console.popup.ringing')
    : described
      ? translate(`console.callStatus.${described.key}`, { who: described.who ?? '' })
      : handlers.length > 0
        ? translate('console.popup.taken', { names: handlers.map((h) => h.name ?? h.userId).join('、') })
        : '';
  const customer =
    popup.customer?.name ??
    (popup.class === 'MULTIPLE_MATCHES'
      ? translate('console.queue.candidates', { count: popup.candidates.length })
      : (popup.employeeLabel ?? ''));

  return (
    <ButtonBase
      onClick={onExpand}
      aria-expanded={false}
      data-testid="queue-row"
      data-popup-row={popup.popupId}
      data-call-id={popup.callId}
      data-ringing={ringing}
      focusRipple
      sx={{
        width: '100%',
        justifyContent: 'flex-start',
        textAlign: 'left',
        gap: 1,
        px: 1.5,
        py: 1,
        border: 1,
        borderColor: ringing ? 'warning.main' : 'divider',
        borderLeftWidth: ringing ? 8 : 1,
        borderRadius: 1,
        bgcolor: 'background.paper',
        flexWrap: 'wrap',
        '&:hover': { bgcolor: 'action.hover' },
      }}
    >
      <Typography variant="body2" component="span" sx={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatTime(popup.rangAt, locale)}
      </Typography>
      <Typography variant="body2" component="span" sx={{ fontWeight: 'bold' }}>
        {formatCaller(popup.caller, locale)}
      </Typography>
      <Chip size="small" label={translate(`popupClass.${popup.class}`)} component="span" />
      {customer && (
        <Typography variant="body2" component="span">
          {customer}
        </Typography>
      )}
      <Box component="span" sx={{ flexGrow: 1 }} />
      {status && (
        <Typography
          variant="body2"
          component="span"
          color={ringing ? 'warning.dark' : 'text.secondary'}
          data-testid="queue-row-status"
        >
          {status}
        </Typography>
      )}
      <ExpandMoreIcon fontSize="small" aria-hidden />
    </ButtonBase>
  );
}
