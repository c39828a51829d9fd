import {
  Create,
  Datagrid,
  DeleteButton,
  FunctionField,
  List,
  required,
  SimpleForm,
  TextField,
  TextInput,
} from 'react-admin';
import { formatDateTime } from '../format/date';

type NumberRow = { display: string | null; raw: string; createdAt: string };
const number = (r: NumberRow) => r.display ?? r.raw;

/** Staff numbers: their calls pop up as EMPLOYEE and are billed half. */
export const EmployeeNumberList = () => (
  <List exporter={false} pagination={false}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <FunctionField<NumberRow> source="number" render={number} />
      <TextField source="label" />
      <FunctionField<NumberRow> source="createdAt" render={(r) => formatDateTime(r.createdAt)} />
      <DeleteButton mutationMode="pessimistic" />
    </Datagrid>
  </List>
);

export const EmployeeNumberCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="number" validate={required()} />
      <TextInput source="label" />
    </SimpleForm>
  </Create>
);

/** The nuisance list: such calls pop up flagged, are not billed, and take no notes. */
export const NuisanceNumberList = () => (
  <List exporter={false} pagination={false}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <FunctionField<NumberRow> source="number" render={number} />
      <TextField source="reason" />
      <FunctionField<NumberRow> source="createdAt" render={(r) => formatDateTime(r.createdAt)} />
      <DeleteButton mutationMode="pessimistic" />
    </Datagrid>
  </List>
);

export const NuisanceNumberCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="number" validate={required()} />
      <TextInput source="reason" validate={required()} />
    </SimpleForm>
  </Create>
);
