import {
  BooleanField,
  BooleanInput,
  Create,
  Datagrid,
  DeleteButton,
  FunctionField,
  List,
  NumberField,
  NumberInput,
  required,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
} from 'react-admin';

const types = ['TEXT', 'NUMBER', 'DATE', 'SELECT', 'MULTI_SELECT', 'BOOLEAN'].map((id) => ({
  id,
  name: `resources.customFields.types.${id}`,
}));

export const CustomFieldList = () => (
  <List exporter={false} pagination={false} sort={{ field: 'position', order: 'ASC' }}>
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <NumberField source="position" />
      <TextField source="key" />
      <TextField source="label" />
      <TextField source="type" />
      <FunctionField<{ options: string[] }> source="options" render={(r) => r.options.join('、')} />
      <BooleanField source="required" />
      <DeleteButton mutationMode="pessimistic" />
    </Datagrid>
  </List>
);

export const CustomFieldCreate = () => (
  <Create redirect="list">
    <SimpleForm defaultValues={{ type: 'TEXT', required: false }}>
      <TextInput source="key" validate={required()} helperText="resources.customFields.keyHelp" />
      <TextInput source="label" validate={required()} />
      <SelectInput source="type" choices={types} validate={required()} />
      <TextInput source="options" helperText="resources.customFields.optionsHelp" />
      <BooleanInput source="required" />
      <NumberInput source="position" step={1} />
    </SimpleForm>
  </Create>
);
