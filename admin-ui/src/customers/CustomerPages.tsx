import { Chip, Stack, type Theme, Typography, useMediaQuery } from '@mui/material';
import {
  ArrayInput,
  BooleanInput,
  CheckboxGroupInput,
  Create,
  Datagrid,
  DateInput,
  Edit,
  FunctionField,
  List,
  NumberInput,
  required,
  SelectInput,
  SimpleFormIterator,
  SimpleList,
  TabbedForm,
  TextField,
  TextInput,
  useGetList,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { scrollableTable } from '../fields/scrollableTable';
import { formatDate, formatDateTime } from '../format/date';
import type { CustomersQuery } from '../graphql/types';
import { customFieldFormValues, type FormValues } from './customerForm';

type CustomerRow = CustomersQuery['customers']['items'][number];

const phoneOf = (r: CustomerRow) => r.phones.map((p) => p.display ?? p.raw).join('、');

/** Customers, searched by the customers service: name, kana reading, company or any phone number format. */
export function CustomerList() {
  const small = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const [locale] = useLocaleState();
  const translate = useTranslate();
  return (
    <List
      exporter={false}
      filters={[
        // A visible label (not SearchInput's placeholder only), so every language and screen reader names it.
        <TextInput
          key="q"
          source="q"
          alwaysOn
          label="resources.customers.search"
          helperText={false}
          sx={{ minWidth: { sm: 320 } }}
        />,
        <TextInput key="tag" source="tag" label="resources.customers.fields.tag" helperText={false} />,
      ]}
      sort={{ field: 'nameKana', order: 'ASC' }}
      perPage={25}
    >
      {small ? (
        <SimpleList<CustomerRow>
          primaryText={(r) => r.name}
          secondaryText={(r) => [r.nameKana, r.company, phoneOf(r)].filter(Boolean).join(' ／ ')}
          linkType="edit"
        />
      ) : (
        <Datagrid sx={scrollableTable} bulkActionButtons={false} rowClick="edit" data-testid="customers">
          <TextField source="name" sortable={false} />
          <TextField source="nameKana" />
          <TextField source="company" sortable={false} emptyText="—" />
          <FunctionField<CustomerRow> source="phones" sortable={false} render={phoneOf} />
          <FunctionField<CustomerRow>
            source="tags"
            sortable={false}
            render={(r) => (
              <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap' }}>
                {r.tags.map((t) => (
                  <Chip key={t} size="small" label={t} />
                ))}
              </Stack>
            )}
          />
          <FunctionField<CustomerRow>
            source="lastPurchaseOn"
            sortable={false}
            render={(r) => (r.lastPurchaseOn ? formatDate(r.lastPurchaseOn, locale) : '—')}
          />
          <FunctionField<CustomerRow>
            source="updatedAt"
            sortBy="updatedAt"
            sortByOrder="DESC"
            label={translate('resources.customers.fields.updatedAt')}
            render={(r) => formatDateTime(r.updatedAt, locale)}
          />
        </Datagrid>
      )}
    </List>
  );
}

const phoneTypes = ['MOBILE', 'HOME', 'WORK', 'FAX', 'OTHER'].map((id) => ({
  id,
  name: `resources.customers.phoneTypes.${id}`,
}));

/** One input per custom field the tenant defined, by its type. */
function CustomFieldInputs() {
  const { data: definitions = [] } = useGetList('customFields', {
    pagination: { page: 1, perPage: 200 },
    sort: { field: 'position', order: 'ASC' },
  });
  const translate = useTranslate();
  if (definitions.length === 0)
    return <Typography color="text.secondary">{translate('resources.customers.noCustomFields')}</Typography>;
  return (
    <>
      {definitions.map((d) => {
        const source = `cf.${d.key}`;
        const common = { source, label: d.label, validate: d.required ? required() : undefined };
        const choices = (d.options as string[]).map((o) => ({ id: o, name: o }));
        switch (d.type) {
          case 'NUMBER':
            return <NumberInput key={d.key} {...common} />;
          case 'DATE':
            return <DateInput key={d.key} {...common} />;
          case 'BOOLEAN':
            return <BooleanInput key={d.key} {...common} validate={undefined} />;
          case 'SELECT':
            return <SelectInput key={d.key} {...common} choices={choices} translateChoice={false} emptyText="—" />;
          case 'MULTI_SELECT':
            return <CheckboxGroupInput key={d.key} {...common} choices={choices} translateChoice={false} />;
          default:
            return <TextInput key={d.key} {...common} multiline />;
        }
      })}
    </>
  );
}

function ExistingPhones() {
  const record = useRecordContext<CustomerRow>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Stack spacing={0.5} sx={{ mb: 1 }} component="ul" aria-label={translate('resources.customers.fields.phones')}>
      {record.phones.map((p) => (
        <Typography component="li" key={p.id} sx={{ listStyle: 'none' }}>
          {p.display ?? p.raw}（{translate(`resources.customers.phoneTypes.${p.type}`)}
          {p.label ? `・${p.label}` : ''}）
        </Typography>
      ))}
    </Stack>
  );
}

function CustomerForm({ edit }: { edit?: boolean }) {
  const translate = useTranslate();
  return (
    <TabbedForm>
      <TabbedForm.Tab label="resources.customers.tabs.profile">
        <TextInput source="name" validate={required()} />
        <TextInput source="nameKana" helperText="resources.customers.kanaHelp" />
        <TextInput source="company" />
        <TextInput source="department" />
        <TextInput source="externalId" disabled={edit} helperText="resources.customers.externalIdHelp" />
        <TextInput
          source="emailsText"
          label="resources.customers.fields.emails"
          helperText="resources.customers.listHelp"
        />
        <TextInput
          source="tagsText"
          label="resources.customers.fields.tags"
          helperText="resources.customers.listHelp"
        />
        <TextInput source="notes" multiline minRows={3} />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="resources.customers.tabs.contact">
        {edit && <ExistingPhones />}
        <ArrayInput
          source="phones"
          label={edit ? 'resources.customers.addPhones' : 'resources.customers.fields.phones'}
        >
          <SimpleFormIterator inline disableReordering>
            <TextInput source="number" label="resources.customers.fields.phoneNumber" validate={required()} />
            <SelectInput
              source="type"
              label="resources.customers.fields.phoneType"
              choices={phoneTypes}
              defaultValue="MOBILE"
            />
            <TextInput source="label" label="resources.customers.fields.phoneLabel" />
          </SimpleFormIterator>
        </ArrayInput>
        <TextInput source="address.postalCode" label="resources.customers.fields.postalCode" />
        <TextInput source="address.prefecture" label="resources.customers.fields.prefecture" />
        <TextInput source="address.city" label="resources.customers.fields.city" />
        <TextInput source="address.street" label="resources.customers.fields.street" />
        <TextInput source="address.building" label="resources.customers.fields.building" />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="resources.customers.tabs.customFields">
        <Typography variant="body2" color="text.secondary">
          {translate('resources.customers.customFieldsHelp')}
        </Typography>
        <CustomFieldInputs />
      </TabbedForm.Tab>
    </TabbedForm>
  );
}

/** The record as the form holds it: lists as text, custom fields by key, no phones to add yet. */
const toForm = (r: CustomerRow): CustomerRow & FormValues => ({
  ...r,
  emailsText: r.emails.join(', '),
  tagsText: r.tags.join('、'),
  cf: customFieldFormValues(r),
  phones: [],
});

export const CustomerCreate = () => (
  <Create redirect="edit">
    <CustomerForm />
  </Create>
);

export const CustomerEdit = () => (
  <Edit mutationMode="pessimistic" queryOptions={{ select: (r: CustomerRow) => toForm(r) }} redirect={false}>
    <CustomerForm edit />
  </Edit>
);
