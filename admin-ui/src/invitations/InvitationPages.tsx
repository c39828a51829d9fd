import { Button, Chip } from '@mui/material';
import { useState } from 'react';
import {
  Confirm,
  Datagrid,
  FunctionField,
  List,
  TextField,
  useDelete,
  useLocale,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { scrollableTable } from '../fields/scrollableTable';
import { formatDateTime } from '../format/date';
import { request } from '../graphql/client';
import { ResendInvitation } from './operations';

interface InvitationRecord {
  id: string;
  email: string;
  name: string;
  roles: string[];
  invitedAt: string;
  expiresAt: string;
}

/**
 * Open invitations of the admin's own tenant (tenant admins; platform admins for the provider
 * tenant): resend mails a new link (the older one stops working), cancel voids it.
 */
export const InvitationList = () => {
  const translate = useTranslate();
  return (
    <List exporter={false} pagination={false} empty={<Empty />}>
      <Datagrid sx={scrollableTable} bulkActionButtons={false} rowClick={false}>
        <TextField source="email" />
        <TextField source="name" />
        <FunctionField<InvitationRecord>
          source="roles"
          sortable={false}
          render={(r) => r.roles.map((role) => translate(`resources.users.roles.${role}`)).join('、')}
        />
        <Instant source="invitedAt" />
        <Expiry source="expiresAt" />
        <ResendButton />
        <CancelButton />
      </Datagrid>
    </List>
  );
};

function Empty() {
  const translate = useTranslate();
  return <p style={{ padding: 16 }}>{translate('resources.invitations.empty')}</p>;
}

/**
 * 「取り消し」 with a confirmation naming the address; the data provider's delete cancels the
 * invitation. Not DeleteWithConfirmButton: its success message cannot name the address.
 */
function CancelButton() {
  const invitation = useRecordContext<InvitationRecord>();
  const translate = useTranslate();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const [cancelInvitation, { isPending }] = useDelete<InvitationRecord>();
  if (!invitation) return null;
  const confirm = () =>
    cancelInvitation(
      'invitations',
      { id: invitation.id, previousData: invitation },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => {
          setOpen(false);
          notify(translate('resources.invitations.cancelled', { email: invitation.email }), { type: 'info' });
        },
        onError: (err) => {
          setOpen(false);
          notify(err instanceof Error ? err.message : String(err), { type: 'error' });
        },
      },
    );
  return (
    <>
      <Button
        size="small"
        color="error"
        onClick={() => setOpen(true)}
        aria-label={`${translate('resources.invitations.cancel')}: ${invitation.email}`}
      >
        {translate('resources.invitations.cancel')}
      </Button>
      <Confirm
        isOpen={open}
        loading={isPending}
        title={translate('resources.invitations.cancelTitle')}
        content={translate('resources.invitations.cancelContent', { email: invitation.email })}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      />
    </>
  );
}

// Instants as the tenant's wall clock, like the rest of the app.
function Instant({ source }: { source: 'invitedAt' | 'expiresAt' }) {
  const record = useRecordContext<InvitationRecord>();
  const locale = useLocale();
  return <>{record ? formatDateTime(record[source], locale) : null}</>;
}

// `source` names the column for the Datagrid's header and sort.
function Expiry({ source }: { source: 'expiresAt' }) {
  const record = useRecordContext<InvitationRecord>();
  const translate = useTranslate();
  if (!record) return null;
  // The server lists expired invitations too, so they can be resent; mark them.
  const expired = new Date(record.expiresAt).getTime() <= Date.now();
  return (
    <>
      <Instant source={source} />
      {expired && (
        <Chip size="small" color="warning" label={translate('resources.invitations.expired')} sx={{ ml: 1 }} />
      )}
    </>
  );
}

function ResendButton() {
  const invitation = useRecordContext<InvitationRecord>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  if (!invitation) return null;
  const resend = async () => {
    try {
      const { resendInvitation } = await request(ResendInvitation, { id: invitation.id });
      notify(translate('resources.invitations.resent', { email: resendInvitation.email }), { type: 'success' });
      refresh();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  };
  return (
    <Button
      size="small"
      onClick={resend}
      aria-label={`${translate('resources.invitations.resend')}: ${invitation.email}`}
    >
      {translate('resources.invitations.resend')}
    </Button>
  );
}
