import { Button } from '@mui/material';
import {
  BooleanField,
  CheckboxGroupInput,
  Create,
  Datagrid,
  email,
  FunctionField,
  List,
  required,
  SimpleForm,
  TextField,
  TextInput,
  useNotify,
  useRecordContext,
  useRedirect,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { request } from '../graphql/client';
import { DisableUser } from './operations';

const roleChoices = ['OPERATOR', 'TENANT_ADMIN'].map((id) => ({ id, name: `resources.users.roles.${id}` }));

export const UserList = () => (
  <List exporter={false} pagination={false}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <TextField source="name" />
      <TextField source="email" />
      <FunctionField<{ roles: string[] }> source="roles" render={(r) => <Roles roles={r.roles} />} />
      <BooleanField source="disabled" />
      <DisableButton />
    </Datagrid>
  </List>
);

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
