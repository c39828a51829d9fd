import {
  Create,
  Datagrid,
  DeleteWithConfirmButton,
  FunctionField,
  List,
  ReferenceField,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { scrollableTable } from '../fields/scrollableTable';
import { formatDateTime } from '../format/date';

interface SeatRow {
  id: string;
  deviceId: string;
  name: string;
  userId: string;
  registeredAt: string;
  deregisteredAt: string | null;
}

function DeregisterButton() {
  const seat = useRecordContext<SeatRow>();
  const translate = useTranslate();
  if (!seat || seat.deregisteredAt) return null;
  return (
    <DeleteWithConfirmButton
      label="resources.seats.deregister"
      aria-label={`${translate('resources.seats.deregister')}: ${seat.name}`}
      confirmTitle="resources.seats.deregister"
      confirmContent={translate('resources.seats.deregisterConfirm', { name: seat.name })}
      successMessage="resources.seats.deregistered"
      mutationMode="pessimistic"
      redirect={false}
    />
  );
}

/** Registered PCs (the desktop client): each is a seat licence billed for the months it is registered in. */
export function SeatList() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <List exporter={false} pagination={false} sort={{ field: 'registeredAt', order: 'DESC' }}>
      <Datagrid sx={scrollableTable} bulkActionButtons={false} rowClick={false}>
        <TextField source="name" />
        <TextField source="deviceId" />
        <ReferenceField source="userId" reference="users" link={false}>
          <TextField source="name" />
        </ReferenceField>
        <FunctionField<SeatRow> source="registeredAt" render={(r) => formatDateTime(r.registeredAt, locale)} />
        <FunctionField<SeatRow>
          source="deregisteredAt"
          label="resources.seats.fields.status"
          render={(r) =>
            r.deregisteredAt
              ? translate('resources.seats.deregisteredAt', { time: formatDateTime(r.deregisteredAt, locale) })
              : translate('resources.seats.registered')
          }
        />
        <DeregisterButton />
      </Datagrid>
    </List>
  );
}

export const SeatCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="name" validate={required()} helperText="resources.seats.nameHelp" />
      <TextInput source="deviceId" validate={required()} helperText="resources.seats.deviceIdHelp" />
      <ReferenceInput source="userId" reference="users">
        <SelectInput optionText="name" validate={required()} />
      </ReferenceInput>
    </SimpleForm>
  </Create>
);
