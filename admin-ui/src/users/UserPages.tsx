import { Button } from '@mui/material';
import {
  BooleanField,
  CheckboxGroupInput,
  Create,
  CreateButton,
  Datagrid,
  email,
  FunctionField,
  List,
  required,
  SimpleForm,
  TextField,
  TextInput,
  TopToolbar,
  useNotify,
  useRecordContext,
  useRedirect,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { Link } from 'react-router-dom';
import { request } from '../graphql/client';
import { CreatePasswordReset } from '../invitations/operations';
import { DisableUser } from './operations';

const roleChoices = ['OPERATOR', 'TENANT_ADMIN'].map((id) => ({ id, name: `resources.users.roles.${id}` }));

export const UserList = () => (
  <List exporter={false} pagination={false} actions={<UserListActions />}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <TextField source="name" />
      <TextField source="email" />
      <FunctionField<{ roles: string[] }> source="roles" render={(r) => <Roles roles={r.roles} />} />
      <BooleanField source="disabled" />
      <DisableButton />
      <ResetPasswordButton />
    </Datagrid>
  </List>
);

// Invitations not yet accepted are not users: they have their own list, one click away.
function UserListActions() {
  const translate = useTranslate();
  return (
    <TopToolbar>
      <Button size="small" component={Link} to="/invitations">
        {translate('resources.users.pendingInvitations')}
      </Button>
      <CreateButton />
    </TopToolbar>
  );
}

/** Mails the user a one-time reset link to their own address; the admin never sees the token. */
function ResetPasswordButton() {
  const user = useRecordContext<{ id: string; name: string; disabled: boolean }>();
  const translate = useTranslate();
  const notify = useNotify();
  if (!user || user.disabled) return null;
  const send = async () => {
    try {
      const { createPasswordReset } = await request(CreatePasswordReset, { userId: user.id });
      notify(translate('resources.users.resetSent', { email: createPasswordReset.sentTo }), { type: 'success' });
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  };
  return (
    <Button size="small" onClick={send} aria-label={`${translate('resources.users.sendReset')}: ${user.name}`}>
      {translate('resources.users.sendReset')}
    </Button>
  );
}

const Roles = ({ roles }: { roles: string[] }) => {
  const translate = useTranslate();
  return <>{roles.map((r) => translate(`resources.users.roles.${r}`)).join('、')}</>;
};

function DisableButton() {
  const user = useRecordContext<{ id: string; name: string; disabled: boolean }>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  if (!user || user.disabled) return null;
  const disable = async () => {
    try {
      await request(DisableUser, { userId: user.id });
      refresh();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  };
  return (
    <Button
      size="small"
      color="error"
      onClick={disable}
      aria-label={`${translate('resources.users.disable')}: ${user.name}`}
    >
      {translate('resources.users.disable')}
    </Button>
  );
}

/** Invites a user; the invitation link is mailed to the invitee (the admin never sees its token). */
export function UserCreate() {
  const notify = useNotify();
  const translate = useTranslate();
  const redirect = useRedirect();
  return (
    <Create
      mutationOptions={{
        onSuccess: (data) => {
          notify(translate('resources.users.invited', { email: String(data.email ?? '') }), {
            type: 'success',
            autoHideDuration: null,
          });
          // A custom onSuccess replaces react-admin's, redirect included.
          redirect('list', 'users');
        },
      }}
    >
      <SimpleForm defaultValues={{ roles: ['OPERATOR'] }}>
        <TextInput source="name" validate={required()} />
        <TextInput source="email" validate={[required(), email()]} />
        <CheckboxGroupInput source="roles" choices={roleChoices} validate={required()} />
      </SimpleForm>
    </Create>
  );
}
