import DeleteIcon from '@mui/icons-material/Delete';
import { Alert, Button, Chip, Stack, type Theme, Typography, useMediaQuery } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import {
  ArrayInput,
  BooleanInput,
  CheckboxGroupInput,
  Confirm,
  Create,
  Datagrid,
  DateInput,
  DeleteButton,
  Edit,
  FunctionField,
  List,
  NumberInput,
  required,
  SaveButton,
  SelectInput,
  SimpleFormIterator,
  SimpleList,
  TabbedForm,
  TextField,
  TextInput,
  Toolbar,
  useGetList,
  useLocaleState,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useSourceContext,
  useTranslate,
} from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import { phoneProblem } from '../console/phoneRule';
import { scrollableTable } from '../fields/scrollableTable';
import { formatDate, formatDateTime } from '../format/date';
import { request } from '../graphql/client';
import type { CustomersQuery, Role } from '../graphql/types';
import { customFieldFormValues, type FormValues } from './customerForm';
import { CustomersByPhone, RemoveCustomerPhone } from './operations';
import { addressOfPostalCode, postalCodeDigits } from './postalCode';

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

type ExistingPhone = CustomerRow['phones'][number];
const phoneText = (p: ExistingPhone) => p.display ?? p.raw;

/** The numbers the customer has, each with a remove button for tenant admins (removeCustomerPhone). */
function ExistingPhones() {
  const record = useRecordContext<{ id: string; existingPhones?: ExistingPhone[] }>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { permissions } = usePermissions<Role[]>();
  const admin = permissions?.includes('TENANT_ADMIN') ?? false;
  const [removing, setRemoving] = useState<ExistingPhone | null>(null);
  if (!record) return null;
  const phones = record.existingPhones ?? [];
  const remove = async () => {
    const phone = removing;
    setRemoving(null);
    if (!phone) return;
    try {
      await request(RemoveCustomerPhone, { customerId: record.id, phoneId: phone.id });
      notify(translate('resources.customers.phoneRemoved', { number: phoneText(phone) }), { type: 'success' });
      refresh();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  };
  return (
    <>
      <Typography variant="subtitle2" component="h3">
        {translate('resources.customers.existingPhones')}
      </Typography>
      {phones.length === 0 ? (
        <Typography color="text.secondary">{translate('resources.customers.noPhones')}</Typography>
      ) : (
        <Stack
          spacing={0.5}
          sx={{ mb: 1, pl: 0 }}
          component="ul"
          aria-label={translate('resources.customers.existingPhones')}
        >
          {phones.map((p) => (
            <Stack
              component="li"
              key={p.id}
              direction="row"
              spacing={1}
              sx={{ listStyle: 'none', alignItems: 'center' }}
            >
              <Typography>
                {phoneText(p)}（{translate(`resources.customers.phoneTypes.${p.type}`)}
                {p.label ? `・${p.label}` : ''}）
              </Typography>
              {admin && (
                <Button
                  size="small"
                  color="error"
                  startIcon={<DeleteIcon />}
                  onClick={() => setRemoving(p)}
                  aria-label={`${translate('resources.customers.removePhone')}: ${phoneText(p)}`}
                >
                  {translate('resources.customers.removePhone')}
                </Button>
              )}
            </Stack>
          ))}
        </Stack>
      )}
      <Confirm
        isOpen={removing !== null}
        title={translate('resources.customers.removePhoneTitle', { number: removing ? phoneText(removing) : '' })}
        content={translate('resources.customers.removePhoneContent')}
        onConfirm={remove}
        onClose={() => setRemoving(null)}
      />
    </>
  );
}

/** The number rule of a customer write (the service's INVALID_PHONE_NUMBER), checked before sending. */
const phoneNumber = (value: unknown) => {
  const problem = phoneProblem(typeof value === 'string' ? value : '');
  return problem ? `console.popup.phoneProblem.${problem}` : undefined;
};

/**
 * Warns, without refusing, when a number being added already belongs to another customer of the
 * tenant (customersByPhone, any format): a shared number is allowed (a family, a front desk), but a
 * call from it then pops with several candidates, so the admin is told who has it.
 */
function DuplicatePhoneWarning() {
  const source = useSourceContext();
  const number = useWatch({ name: source.getSource('number') }) as string | undefined;
  const customerId = useWatch({ name: 'id' }) as string | undefined;
  const translate = useTranslate();
  const [others, setOthers] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    const typed = (number ?? '').trim();
    if (!typed || phoneProblem(typed)) {
      setOthers([]);
      return;
    }
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const { customersByPhone } = await request(CustomersByPhone, {
          number: typed,
          exceptCustomerId: customerId ?? null,
        });
        if (live) setOthers(customersByPhone);
      } catch {
        // A number the service refuses is reported when the form is saved, in Japanese.
        if (live) setOthers([]);
      }
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [number, customerId]);
  if (others.length === 0) return null;
  return (
    <Alert severity="warning" role="status" sx={{ flexBasis: '100%' }} data-testid="duplicate-phone">
      {translate('resources.customers.duplicatePhone', { names: others.map((c) => `${c.name}`).join('、') })}
    </Alert>
  );
}

/** The postal code; 7 digits fill 都道府県, 市区町村 and 町域 from Japan Post's data (postalCode.ts). */
function PostalCodeInput() {
  const { setValue, getValues } = useFormContext();
  const postalCode = useWatch({ name: 'address.postalCode' }) as string | undefined;
  const [notFound, setNotFound] = useState(false);
  const filledTown = useRef<string | null>(null);
  const lookedUp = useRef<string | null>(postalCodeDigits(postalCode));
  useEffect(() => {
    const digits = postalCodeDigits(postalCode);
    if (!digits) {
      setNotFound(false);
      return;
    }
    // The code the record was opened with fills nothing: only a newly typed one does.
    if (digits === lookedUp.current) return;
    lookedUp.current = digits;
    let live = true;
    addressOfPostalCode(digits).then((address) => {
      if (!live) return;
      setNotFound(address === null);
      if (!address) return;
      const dirty = { shouldDirty: true, shouldValidate: true };
      setValue('address.prefecture', address.prefecture, dirty);
      setValue('address.city', address.city, dirty);
      const street = (getValues('address.street') as string | null | undefined) ?? '';
      // 町域 starts the street field; the 番地 the admin already typed after an earlier fill is kept.
      const rest =
        filledTown.current && street.startsWith(filledTown.current) ? street.slice(filledTown.current.length) : street;
      setValue(
        'address.street',
        `${address.town}${filledTown.current !== null || street === '' ? rest : ` ${street}`}`.trim(),
        dirty,
      );
      filledTown.current = address.town;
    });
    return () => {
      live = false;
    };
  }, [postalCode, setValue, getValues]);
  return (
    <TextInput
      source="address.postalCode"
      label="resources.customers.fields.postalCode"
      helperText={notFound ? 'resources.customers.postalCodeNotFound' : 'resources.customers.postalCodeHelp'}
      slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'postal-code' } }}
    />
  );
}

/** Save, and for tenant admins on the edit page, delete (deleteCustomer) after a confirmation. */
function CustomerToolbar({ edit }: { edit?: boolean }) {
  const record = useRecordContext<{ name?: string }>();
  const translate = useTranslate();
  const { permissions } = usePermissions<Role[]>();
  return (
    <Toolbar sx={{ justifyContent: 'space-between' }}>
      <SaveButton />
      {edit && permissions?.includes('TENANT_ADMIN') && (
        <DeleteButton
          mutationMode="pessimistic"
          confirmTitle={translate('resources.customers.deleteTitle', { name: record?.name ?? '' })}
          confirmContent="resources.customers.deleteContent"
        />
      )}
    </Toolbar>
  );
}

function CustomerForm({ edit }: { edit?: boolean }) {
  const translate = useTranslate();
  return (
    // Checked when a field is left, so a number that is not one is refused before anything is sent.
    <TabbedForm toolbar={<CustomerToolbar edit={edit} />} mode="onBlur">
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
            <TextInput
              source="number"
              label="resources.customers.fields.phoneNumber"
              validate={[required(), phoneNumber]}
              slotProps={{ htmlInput: { inputMode: 'tel' } }}
            />
            <SelectInput
              source="type"
              label="resources.customers.fields.phoneType"
              choices={phoneTypes}
              defaultValue="MOBILE"
            />
            <TextInput source="label" label="resources.customers.fields.phoneLabel" />
            <DuplicatePhoneWarning />
          </SimpleFormIterator>
        </ArrayInput>
        <PostalCodeInput />
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

/** The record as the form holds it: lists as text, custom fields by key, its numbers shown apart, no phones to add yet. */
const toForm = (r: CustomerRow): CustomerRow & FormValues & { existingPhones: ExistingPhone[] } => ({
  ...r,
  existingPhones: r.phones,
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
