import { Alert, Box, Button, Stack, Typography } from '@mui/material';
import { type FormEvent, useState } from 'react';
import {
  AutocompleteInput,
  Create,
  Datagrid,
  DateInput,
  FunctionField,
  List,
  NumberInput,
  ReferenceInput,
  required,
  SelectInput,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  useGetList,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { Link } from 'react-router-dom';
import type { Role } from '../auth/session';
import { MonthPicker } from '../fields/MonthPicker';
import { shiftMonth } from '../fields/months';
import { scrollableTable } from '../fields/scrollableTable';
import { formatDate, formatMonth } from '../format/date';
import { formatYen } from '../format/yen';
import { request } from '../graphql/client';
import type { ContractFieldsFragment, PreviewTerminationQuery } from '../graphql/types';
import { TenantPicker } from '../invoices/InvoicePages';
import { ContractHistory } from './ContractHistory';

const thisMonth = () => new Date().toISOString().slice(0, 7);

import { PreviewTermination, TerminateContract } from './operations';

type Contract = ContractFieldsFragment;

const planChoicesOf = (plans: { code?: unknown; name?: unknown }[] | undefined) =>
  (plans ?? []).map((p) => ({ id: p.code as string, name: `${p.name}（${p.code}）` }));
const statusChoices = [
  { id: 'ACTIVE', name: 'resources.contracts.status.ACTIVE' },
  { id: 'TERMINATED', name: 'resources.contracts.status.TERMINATED' },
];

const TenantLink = ({ contract }: { contract: Contract }) => (
  <Link to={`/tenants/${encodeURIComponent(contract.tenantId)}/show`} onClick={(e) => e.stopPropagation()}>
    {contract.tenant?.name ?? contract.tenantId}
  </Link>
);

/** The contract grid shared by the list and a tenant's page. */
export function ContractGrid({ showTenant = true }: { showTenant?: boolean }) {
  return (
    <Datagrid sx={scrollableTable} rowClick="show" bulkActionButtons={false} data-testid="contracts">
      {showTenant && (
        <FunctionField<Contract> source="tenant" sortable={false} render={(c) => <TenantLink contract={c} />} />
      )}
      <TextField source="recipientName" sortable={false} />
      <FunctionField<Contract>
        source="planVersion"
        sortable={false}
        render={(c) => `${c.planVersion.plan.name}（${c.planVersion.plan.code}）v${c.planVersion.version}`}
      />
      <FunctionField<Contract> source="status" render={(c) => <StatusText status={c.status} />} />
      <FunctionField<Contract> source="serviceStartDate" render={(c) => formatDate(c.serviceStartDate)} />
      <FunctionField<Contract>
        source="endMonth"
        sortable={false}
        render={(c) => (c.endMonth ? formatMonth(c.endMonth) : '')}
      />
      <FunctionField<Contract>
        source="connectionCapacity"
        sortable={false}
        render={(c) => `${c.connectionCapacity}（${c.connectionPacks.length}）`}
      />
    </Datagrid>
  );
}

/** Every tenant's contracts: filtered by tenant (picked by name), status and plan, sorted and paged. */
export function ContractList() {
  const { data: plans } = useGetList('plans', {
    pagination: { page: 1, perPage: 100 },
    sort: { field: 'code', order: 'ASC' },
  });
  const filters = [
    <TenantPicker key="tenant" alwaysOn />,
    <SelectInput key="status" source="status" choices={statusChoices} alwaysOn />,
    <SelectInput key="plan" source="planCode" choices={planChoicesOf(plans)} alwaysOn />,
  ];
  return (
    <List exporter={false} filters={filters} sort={{ field: 'serviceStartDate', order: 'DESC' }} perPage={25}>
      <ContractGrid />
    </List>
  );
}

const listInputChoices = [
  { id: 'NONE', name: 'resources.contracts.listInput.NONE' },
  { id: 'PER_POPUP', name: 'resources.contracts.listInput.PER_POPUP' },
  { id: 'PER_RECORD', name: 'resources.contracts.listInput.PER_RECORD' },
];

export function ContractCreate() {
  const { data: plans } = useGetList('plans', {
    pagination: { page: 1, perPage: 100 },
    sort: { field: 'code', order: 'ASC' },
  });
  const planChoices = planChoicesOf(plans);
  return (
    <Create redirect="show">
      <SimpleForm defaultValues={{ listInput: 'NONE', connectionPacks: 0 }}>
        <ReferenceInput source="tenantId" reference="tenants" sort={{ field: 'name', order: 'ASC' }}>
          <AutocompleteInput optionText="name" filterToQuery={(q: string) => ({ q })} validate={required()} />
        </ReferenceInput>
        <TextInput source="recipientName" validate={required()} />
        <SelectInput source="planCode" choices={planChoices} validate={required()} />
        <DateInput source="serviceStartDate" validate={required()} />
        <SelectInput source="listInput" choices={listInputChoices} validate={required()} />
        <NumberInput source="connectionPacks" min={0} step={1} />
      </SimpleForm>
    </Create>
  );
}

export const ContractShow = () => (
  <Show>
    <SimpleShowLayout>
      <FunctionField<Contract> source="tenant" render={(c) => <TenantLink contract={c} />} />
      <TextField source="recipientName" />
      <FunctionField<Contract>
        source="planVersion"
        render={(c) => `${c.planVersion.plan.name}（${c.planVersion.plan.code}）v${c.planVersion.version}`}
      />
      <FunctionField<Contract> source="serviceStartDate" render={(c) => formatDate(c.serviceStartDate)} />
      <FunctionField<Contract> source="status" render={(c) => <StatusText status={c.status} />} />
      <FunctionField<Contract> source="listInput" render={(c) => <ListInputText value={c.listInput} />} />
      <FunctionField<Contract>
        source="connectionCapacity"
        render={(c) => `${c.connectionCapacity}（${c.connectionPacks.length}）`}
      />
      <FunctionField<Contract>
        source="minimumTerm"
        render={(c) => `${formatMonth(c.minimumTermFrom)} 〜 ${formatMonth(c.minimumTermTo)}`}
      />
      <FunctionField<Contract> source="endMonth" render={(c) => (c.endMonth ? formatMonth(c.endMonth) : '')} />
      <FunctionField<Contract> source="terminationFeeYen" render={(c) => formatYen(c.terminationFeeYen)} />
    </SimpleShowLayout>
    <TerminationForStaff />
    <ShownContractHistory />
  </Show>
);

/** The shown tenant's contracts, current and past; read again once the current one is terminated here. */
function ShownContractHistory() {
  const contract = useRecordContext<Contract>();
  const translate = useTranslate();
  if (!contract) return null;
  return (
    <Box sx={{ p: 2 }}>
      <ContractHistory tenantId={contract.tenantId} revision={`${contract.id}:${contract.status}`} />
      <Button
        component={Link}
        to={`/invoices?filter=${encodeURIComponent(JSON.stringify({ tenantId: contract.tenantId }))}`}
        sx={{ mt: 1 }}
      >
        {translate('resources.contracts.invoicesOfTenant')}
      </Button>
    </Box>
  );
}

const StatusText = ({ status }: { status: string }) => <>{useTranslate()(`resources.contracts.status.${status}`)}</>;
const ListInputText = ({ value }: { value: string }) => <>{useTranslate()(`resources.contracts.listInput.${value}`)}</>;

/** Only the roles that may terminate (back office, platform admins: the role table) see the form. */
function TerminationForStaff() {
  const { permissions } = usePermissions<Role[]>();
  return (permissions ?? []).some((r) => r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN') ? <Termination /> : null;
}

/** Termination previews the early-termination fee, then confirms with that fee as a guard. */
function Termination() {
  const contract = useRecordContext<Contract>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [endMonth, setEndMonth] = useState(thisMonth);
  const [preview, setPreview] = useState<PreviewTerminationQuery['previewTermination'] | null>(null);
  if (contract?.status !== 'ACTIVE') return null;

  const run = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  };
  const doPreview = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setPreview((await request(PreviewTermination, { contractId: contract.id, endMonth })).previewTermination);
    });
  };
  const confirm = () =>
    run(async () => {
      if (!preview) return;
      await request(TerminateContract, {
        contractId: contract.id,
        endMonth: preview.endMonth,
        expectedFeeYen: preview.feeYen,
      });
      notify(translate('resources.contracts.terminate.done'), { type: 'success' });
      setPreview(null);
      refresh();
    });

  return (
    <Box component="section" aria-labelledby="termination-heading" sx={{ p: 2 }}>
      <Typography variant="h6" component="h3" id="termination-heading">
        {translate('resources.contracts.terminate.title')}
      </Typography>
      <Box component="form" onSubmit={doPreview}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
          <MonthPicker
            label={translate('resources.contracts.terminate.endMonth')}
            value={endMonth}
            onChange={(month) => {
              setEndMonth(month);
              setPreview(null);
            }}
            earliest={thisMonth()}
            latest={shiftMonth(thisMonth(), 72)}
          />
          <Button type="submit" variant="outlined">
            {translate('resources.contracts.terminate.preview')}
          </Button>
        </Stack>
      </Box>
      {preview && (
        <Alert severity="warning" sx={{ mt: 1 }} role="status" data-testid="termination-preview">
          {translate('resources.contracts.terminate.previewResult', {
            months: preview.monthsRemaining,
            minimumTermTo: formatMonth(preview.minimumTermTo),
            fee: formatYen(preview.feeYen),
          })}
          <Box>
            <Button color="error" variant="contained" onClick={() => void confirm()} sx={{ mt: 1 }}>
              {translate('resources.contracts.terminate.confirm')}
            </Button>
          </Box>
        </Alert>
      )}
    </Box>
  );
}
