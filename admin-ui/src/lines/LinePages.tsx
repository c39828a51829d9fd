import {
  Create,
  Datagrid,
  DeleteWithConfirmButton,
  Edit,
  EditButton,
  FunctionField,
  List,
  required,
  SaveButton,
  SimpleForm,
  TextField,
  TextInput,
  Toolbar,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { scrollableTable } from '../fields/scrollableTable';

interface LineRow {
  id: string;
  label: string | null;
  number: { raw: string; display: string | null };
}
const numberOf = (r: LineRow) => r.number.display ?? r.number.raw;

function RemoveLineButton() {
  const line = useRecordContext<LineRow>();
  const translate = useTranslate();
  if (!line) return null;
  return (
    <DeleteWithConfirmButton
      aria-label={`${translate('ra.action.delete')}: ${numberOf(line)}`}
      confirmContent={translate('resources.lines.removeConfirm', { number: numberOf(line) })}
      mutationMode="pessimistic"
    />
  );
}

function EditLabelButton() {
  const line = useRecordContext<LineRow>();
  const translate = useTranslate();
  if (!line) return null;
  return (
    <EditButton
      label="resources.lines.relabel"
      aria-label={`${translate('resources.lines.relabel')}: ${numberOf(line)}`}
    />
  );
}

/** The tenant's phone numbers that calls ring on; the label (e.g. 東京店) is shown on popups. */
export const LineList = () => (
  <List exporter={false} pagination={false} sort={{ field: 'label', order: 'ASC' }}>
    <Datagrid sx={scrollableTable} bulkActionButtons={false} rowClick={false}>
      <FunctionField<LineRow> source="number" sortable={false} render={numberOf} />
      <TextField source="label" emptyText="—" />
      <EditLabelButton />
      <RemoveLineButton />
    </Datagrid>
  </List>
);

export const LineCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="number" validate={required()} helperText="resources.lines.numberHelp" />
      <TextInput source="label" helperText="resources.lines.labelHelp" />
    </SimpleForm>
  </Create>
);

const LineNumber = () => {
  const line = useRecordContext<LineRow>();
  return line ? <TextInput source="numberShown" defaultValue={numberOf(line)} disabled /> : null;
};

export const LineEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <SimpleForm
      toolbar={
        <Toolbar>
          <SaveButton />
        </Toolbar>
      }
    >
      <LineNumber />
      <TextInput source="label" helperText="resources.lines.labelHelp" />
    </SimpleForm>
  </Edit>
);
