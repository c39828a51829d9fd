import { Alert, Box, Button, Card, CardContent, TextField as MuiTextField, Stack, Typography } from '@mui/material';
import { type FormEvent, useState } from 'react';
import {
  Create,
  DateInput,
  FunctionField,
  NumberInput,
  required,
  SelectInput,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  Title,
  useGetList,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { formatDate, formatMonth } from '../format/date';
import { formatYen } from '../format/yen';
import { request } from '../graphql/client';
import type { ContractFieldsFragment, PreviewTerminationQuery } from '../graphql/types';
import { ContractHistory } from './ContractHistory';
import { PreviewTermination, TerminateContract } from './operations';

/** As the data provider gives it: `id` is the tenant id, `contractId` the contract's. */
type Contract = ContractFieldsFragment & { contractId: string };

/** Contracts are found by tenant: its current contract, with the tenant's past ones below it. */
export function ContractLookup() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const [tenantId, setTenantId] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (tenantId.trim()) navigate(`/contracts/${encodeURIComponent(tenantId.trim())}/show`);
  };
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('resources.contracts.name', { smart_count: 2 })} />
      <CardContent>
        <Box component="form" onSubmit={submit}>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
            <MuiTextField
              label={translate('resources.contracts.fields.tenantId')}
              value={tenantId}
              onChange={(e) => setTenantId(e.target.value)}
              size="small"
              sx={{ minWidth: 360 }}
            />
            <Button type="submit" variant="contained">
              {translate('resources.contracts.lookup')}
            </Button>
            <Button onClick={() => navigate('/contracts/create')}>{translate('ra.action.create')}</Button>
          </Stack>
        </Box>
      </CardContent>
    </Card>
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
  const planChoices = (plans ?? []).map((p) => ({ id: p.code as string, name: `${p.name}（${p.code}）` }));
  return (
    <Create redirect="show">
      <SimpleForm defaultValues={{ listInput: 'NONE', connectionPacks: 0 }}>
        <TextInput source="tenantId" validate={required()} />
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
      <TextField source="tenantId" />
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
    <Termination />
    <ShownContractHistory />
  </Show>
);

/** The shown tenant's contracts, current and past; read again once the current one is terminated here. */
function ShownContractHistory() {
  const contract = useRecordContext<Contract>();
  if (!contract) return null;
  return (
    <Box sx={{ p: 2 }}>
      <ContractHistory tenantId={contract.tenantId} revision={`${contract.contractId}:${contract.status}`} />
    </Box>
  );
}

const StatusText = ({ status }: { status: string }) => <>{useTranslate()(`resources.contracts.status.${status}`)}</>;
const ListInputText = ({ value }: { value: string }) => <>{useTranslate()(`resources.contracts.listInput.${value}`)}</>;

/** Termination previews the early-termination fee, then confirms with that fee as a guard. */
function Termination() {
  const contract = useRecordContext<Contract>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [endMonth, setEndMonth] = useState('');
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
      setPreview((await request(PreviewTermination, { contractId: contract.contractId, endMonth })).previewTermination);
    });
  };
  const confirm = () =>
    run(async () => {
      if (!preview) return;
      await request(TerminateContract, {
        contractId: contract.contractId,
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
          <MuiTextField
            label={translate('resources.contracts.terminate.endMonth')}
            value={endMonth}
            onChange={(e) => {
              setEndMonth(e.target.value);
              setPreview(null);
            }}
            size="small"
            slotProps={{ htmlInput: { pattern: '\\d{4}-\\d{2}' } }}
            required
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
