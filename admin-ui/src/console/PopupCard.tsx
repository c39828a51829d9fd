import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  IconButton,
  List,
  ListItem,
  ListItemText,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useEffect, useId, useRef, useState } from 'react';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { currentSession } from '../auth/session';
import { formatDate, formatDateTime, formatTime } from '../format/date';
import { formatCaller } from '../format/phone';
import { formatYen } from '../format/yen';
import { request } from '../graphql/client';
import type { PopupCustomerFieldsFragment, PopupFieldsFragment } from '../graphql/types';
import { LookupCards } from '../integrations/lookup/LookupCards';
import { canTake, describeCallUpdate } from './callStatus';
import { TakeCall } from './interactionOperations';
import { NotesField } from './NotesField';
import { CustomerHistory } from './operations';
import type { CallUpdate } from './popupFeed';
import { QuickCreate } from './QuickCreate';

const classColor = {
  CUSTOMER: 'primary',
  MULTIPLE_MATCHES: 'info',
  UNKNOWN: 'warning',
  WITHHELD: 'default',
  EMPLOYEE: 'success',
  NUISANCE: 'error',
} as const;

interface Props {
  popup: PopupFieldsFragment;
  /** Moves keyboard focus to this popup's heading when it arrives. */
  focusOnMount: boolean;
  onChange: (change: (popup: PopupFieldsFragment) => PopupFieldsFragment) => void;
  /** The call's latest status change, live from the gateway. */
  callUpdate?: CallUpdate;
  /** Still ringing (callQueue.ts): marked, for the operator to pick up. */
  ringing?: boolean;
  /** Folds the card back into its one-line row of the queue. */
  onCollapse?: () => void;
}

export function PopupCard({ popup, focusOnMount, onChange, callUpdate, ringing = false, onCollapse }: Props) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const caller = formatCaller(popup.caller, locale);
  const me = currentSession()?.user;
  const takenByMe = !!me && (popup.handledBy ?? []).some((h) => h.userId === me.id);
  const [taking, setTaking] = useState(false);
  const status = callUpdate ? describeCallUpdate(callUpdate, me?.id, popup.handledBy ?? []) : null;
  const takeable = canTake(callUpdate, popup.handledBy ?? []);

  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
  }, [focusOnMount]);

  const take = async () => {
    setTaking(true);
    try {
      const { startInteraction } = await request(TakeCall, { callId: popup.callId });
      onChange((p) => ({ ...p, interactionId: startInteraction.id, handledBy: startInteraction.handledBy }));
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setTaking(false);
    }
  };

  return (
    <Card
      component="article"
      aria-labelledby={headingId}
      variant="outlined"
      data-testid="popup"
      data-class={popup.class}
      data-rang-at={popup.rangAt}
      data-call-id={popup.callId}
      data-popup-id={popup.popupId}
      data-ringing={ringing}
      // The ringing call stands out: an accent border on top of the outline.
      sx={ringing ? { borderColor: 'warning.main', borderWidth: 2, borderLeftWidth: 8 } : undefined}
    >
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
          {ringing && <Chip color="warning" label={translate('console.popup.ringing')} data-testid="ringing" />}
          <Chip
            label={translate(`popupClass.${popup.class}`)}
            color={classColor[popup.class]}
            data-testid="popup-class"
          />
          <Typography variant="body2" color="text.secondary">
            {translate('console.popup.rangAt', { time: formatDateTime(popup.rangAt, locale) })}
          </Typography>
          {popup.lineLabel && (
            <Typography variant="body2" color="text.secondary">
              {translate('console.popup.line', { line: popup.lineLabel })}
            </Typography>
          )}
          {status && callUpdate && (
            <Chip
              size="small"
              variant="outlined"
              color={status.elsewhere ? 'warning' : 'default'}
              role="status"
              data-testid="call-status"
              data-event={callUpdate.event}
              label={`${translate(`console.callStatus.${status.key}`, { who: status.who ?? '' })}（${formatTime(callUpdate.at, locale)}）`}
            />
          )}
          {onCollapse && (
            <IconButton
              onClick={onCollapse}
              aria-expanded
              aria-label={translate('console.queue.collapse', { caller })}
              size="small"
              sx={{ ml: 'auto !important' }}
            >
              <ExpandLessIcon />
            </IconButton>
          )}
        </Stack>
        <Typography variant="h5" component="h2" id={headingId} tabIndex={-1} ref={heading} sx={{ outline: 'none' }}>
          {translate('console.popup.heading', { caller })}
        </Typography>

        {popup.class === 'NUISANCE' && (
          <Alert severity="error" sx={{ my: 1 }}>
            {translate('console.popup.nuisance')}
            {popup.nuisanceReason && (
              <div>{translate('console.popup.nuisanceReason', { reason: popup.nuisanceReason })}</div>
            )}
          </Alert>
        )}
        {popup.class === 'EMPLOYEE' && (
          <Alert severity="success" sx={{ my: 1 }}>
            {translate('console.popup.employee', { label: popup.employeeLabel ?? '' })}
          </Alert>
        )}
        {popup.class === 'WITHHELD' && (
          <Alert severity="info" sx={{ my: 1 }}>
            {translate('console.popup.withheld')}
          </Alert>
        )}

        <Stack direction="row" spacing={1} sx={{ my: 1, alignItems: 'center', flexWrap: 'wrap' }}>
          {takenByMe ? (
            <Chip color="success" label={translate('console.popup.takenByMe')} />
          ) : (
            // A missed call, or one that ended with nobody taking it, is returned from the missed calls.
            takeable && (
              <Button variant="contained" onClick={take} disabled={taking}>
                {translate('console.popup.take')}
              </Button>
            )
          )}
          {(popup.handledBy ?? []).length > 0 && (
            <Typography variant="body2">
              {translate('console.popup.taken', {
                names: (popup.handledBy ?? []).map((h) => h.name ?? h.userId).join('、'),
              })}
            </Typography>
          )}
        </Stack>

        {popup.customer && <CustomerRecord customer={popup.customer} />}
        {popup.class === 'MULTIPLE_MATCHES' && <Candidates popup={popup} onChange={onChange} />}
        {/* The tenant's own databases' records (Integration plan); late cards arrive as the same popup again. */}
        <LookupCards cards={popup.cards ?? []} />
        {/* Once registered, the popup shows the new customer: no second registration from it. */}
        {popup.class === 'UNKNOWN' && !popup.customer && (
          <QuickCreate
            phone={popup.caller.display ?? popup.caller.raw}
            onCreated={(customer) =>
              onChange((p) => ({
                ...p,
                customer: {
                  id: customer.id,
                  name: customer.name,
                  nameKana: null,
                  company: null,
                  department: null,
                  tags: [],
                  phones: [{ raw: p.caller.raw, display: p.caller.display ?? null, type: 'OTHER' }],
                  address: null,
                  customFields: [],
                },
              }))
            }
          />
        )}

        <NotesField popup={popup} />

        {(popup.customer || popup.purchases.length > 0) && <Purchases popup={popup} />}
        <Interactions popup={popup} />
        {(popup.followUps ?? []).length > 0 && (
          <Box component="section" sx={{ my: 1 }}>
            <Typography variant="h6" component="h3">
              {translate('console.popup.followUps')}
            </Typography>
            <List dense>
              {(popup.followUps ?? []).map((f) => (
                <ListItem key={`${f.interactionId}-${f.dueOn}`} disableGutters>
                  <ListItemText
                    primary={f.note ?? ''}
                    secondary={`${translate('console.popup.due', { date: formatDate(f.dueOn, locale) })}${f.assigneeName ? ` — ${f.assigneeName}` : ''}`}
                  />
                </ListItem>
              ))}
            </List>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

/**
 * 複数該当: the operator tells the candidates apart (name, kana, company, address) and picks the
 * caller; the popup then shows that customer's purchases and interactions, read by customer id.
 * The choice is this screen's: it can be made again, and other operators choose on their own.
 */
function Candidates({
  popup,
  onChange,
}: {
  popup: PopupFieldsFragment;
  onChange: (change: (popup: PopupFieldsFragment) => PopupFieldsFragment) => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const [loading, setLoading] = useState<string | null>(null);

  const choose = async (candidate: PopupCustomerFieldsFragment) => {
    if (loading) return;
    setLoading(candidate.id);
    try {
      const { customer } = await request(CustomerHistory, { id: candidate.id });
      onChange((p) => ({
        ...p,
        customer: candidate,
        purchases: customer?.purchases ?? [],
        purchaseTotals: customer?.purchaseTotals ?? null,
        interactions: customer?.interactions ?? [],
      }));
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setLoading(null);
    }
  };

  if (popup.customer) {
    return (
      <Stack direction="row" spacing={1} sx={{ my: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="body2" color="text.secondary">
          {translate('console.popup.chosen', { count: popup.candidates.length })}
        </Typography>
        <Button
          size="small"
          onClick={() =>
            onChange((p) => ({ ...p, customer: null, purchases: [], purchaseTotals: null, interactions: [] }))
          }
        >
          {translate('console.popup.chooseAgain')}
        </Button>
      </Stack>
    );
  }
  return (
    <Box component="section" sx={{ my: 1 }} data-testid="candidates">
      <Typography variant="h6" component="h3">
        {translate('console.popup.candidates', { count: popup.candidates.length })}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {translate('console.popup.chooseHelp')}
      </Typography>
      {popup.candidates.map((c) => (
        <Box key={c.id} sx={{ borderTop: 1, borderColor: 'divider', pt: 1 }}>
          <CustomerRecord customer={c} compact />
          <Button
            variant="outlined"
            size="small"
            onClick={() => void choose(c)}
            disabled={loading !== null}
            aria-label={translate('console.popup.choose', { name: c.name })}
          >
            {translate('console.popup.chooseShort')}
          </Button>
        </Box>
      ))}
    </Box>
  );
}

function CustomerRecord({ customer, compact = false }: { customer: PopupCustomerFieldsFragment; compact?: boolean }) {
  const translate = useTranslate();
  const address = customer.address
    ? [
        customer.address.postalCode ? `〒${customer.address.postalCode}` : '',
        customer.address.prefecture,
        customer.address.city,
        customer.address.street,
        customer.address.building,
      ]
        .filter(Boolean)
        .join(' ')
    : '';
  return (
    <Box component="section" sx={{ my: 1 }} data-testid="customer-record">
      {!compact && (
        <Typography variant="h6" component="h3">
          {translate('console.popup.record')}
        </Typography>
      )}
      <Typography variant="subtitle1" component="p" sx={{ fontWeight: 'bold' }}>
        {customer.name}
        {customer.nameKana && (
          <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1 }}>
            （{customer.nameKana}）
          </Typography>
        )}
      </Typography>
      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, m: 0 }}>
        {customer.company && <Field label={translate('console.popup.company')} value={customer.company} />}
        {customer.department && <Field label={translate('console.popup.department')} value={customer.department} />}
        {(customer.phones ?? []).length > 0 && (
          <Field
            label={translate('console.popup.phones')}
            value={(customer.phones ?? []).map((p) => p.display ?? p.raw).join('、')}
          />
        )}
        {address && <Field label={translate('console.popup.address')} value={address} />}
        {customer.tags.length > 0 && <Field label={translate('console.popup.tags')} value={customer.tags.join('、')} />}
        {(customer.customFields ?? [])
          .filter((f) => f.values.length > 0)
          .map((f) => (
            <Field key={f.key} label={f.label} value={f.values.join('、')} />
          ))}
      </Box>
    </Box>
  );
}

const Field = ({ label, value }: { label: string; value: string }) => (
  <>
    <Typography component="dt" variant="body2" color="text.secondary">
      {label}
    </Typography>
    <Typography component="dd" variant="body2" sx={{ m: 0 }}>
      {value}
    </Typography>
  </>
);

function Purchases({ popup }: { popup: PopupFieldsFragment }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Box component="section" sx={{ my: 1, overflowX: 'auto' }}>
      <Typography variant="h6" component="h3">
        {translate('console.popup.purchases')}
      </Typography>
      {popup.purchaseTotals && (
        <Typography variant="body2" data-testid="purchase-totals">
          {translate('console.popup.purchaseTotals', {
            count: popup.purchaseTotals.count,
            total: formatYen(popup.purchaseTotals.lifetimeValueYen),
          })}
        </Typography>
      )}
      {popup.purchases.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('console.popup.noPurchases')}
        </Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('console.popup.date')}</TableCell>
              <TableCell>{translate('console.popup.item')}</TableCell>
              <TableCell align="right">{translate('console.popup.quantity')}</TableCell>
              <TableCell align="right">{translate('console.popup.amount')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {popup.purchases.map((p) => (
              <TableRow key={p.id}>
                <TableCell>{formatDate(p.purchasedOn, locale)}</TableCell>
                <TableCell>{p.item}</TableCell>
                <TableCell align="right">{p.quantity}</TableCell>
                <TableCell align="right">{formatYen(p.amountYen)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

function Interactions({ popup }: { popup: PopupFieldsFragment }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Box component="section" sx={{ my: 1 }}>
      <Typography variant="h6" component="h3">
        {translate('console.popup.interactions')}
      </Typography>
      {popup.interactions.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('console.popup.noInteractions')}
        </Typography>
      ) : (
        <List dense>
          {popup.interactions.map((i) => (
            <ListItem key={i.id} disableGutters>
              <ListItemText
                primary={i.summary}
                secondary={[formatDateTime(i.occurredAt, locale), i.operatorName, i.outcome]
                  .filter(Boolean)
                  .join(' — ')}
              />
            </ListItem>
          ))}
        </List>
      )}
    </Box>
  );
}
