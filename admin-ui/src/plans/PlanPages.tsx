import { Box, Button, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useState } from 'react';
import {
  Create,
  Datagrid,
  Form,
  FunctionField,
  List,
  required,
  Show,
  SimpleForm,
  TextField,
  TextInput,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import type { Role } from '../auth/session';
import { formatDate } from '../format/date';
import { formatYen } from '../format/yen';
import { request } from '../graphql/client';
import type { PlansQuery, PlanVersionFieldsFragment, PlanVersionInput } from '../graphql/types';
import { AddPlanVersion } from './operations';
import { cloudPlanDefaults, PlanVersionInputs } from './PlanVersionInputs';

type Plan = PlansQuery['plans'][number];
const latest = (plan: Plan) => [...plan.versions].sort((a, b) => b.version - a.version)[0];

export const PlanList = () => (
  <List sort={{ field: 'code', order: 'ASC' }} exporter={false}>
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="code" />
      <TextField source="name" />
      <FunctionField<Plan>
        label="resources.plans.fields.version"
        render={(p) => (latest(p) ? `v${latest(p)?.version}` : '')}
      />
      <FunctionField<Plan>
        label="resources.plans.fields.maintenanceYen"
        render={(p) => formatYen(latest(p)?.maintenanceYen)}
      />
    </Datagrid>
  </List>
);

export const PlanCreate = () => (
  <Create redirect="show">
    <SimpleForm defaultValues={{ firstVersion: cloudPlanDefaults }}>
      <TextInput source="code" validate={required()} />
      <TextInput source="name" validate={required()} />
      <PlanVersionInputs prefix="firstVersion." />
    </SimpleForm>
  </Create>
);

export const PlanShow = () => (
  <Show>
    <Box sx={{ p: 2 }}>
      <PlanHeader />
      <VersionsTable />
      <AddVersionForm />
    </Box>
  </Show>
);

function PlanHeader() {
  const plan = useRecordContext<Plan>();
  if (!plan) return null;
  return (
    <Typography variant="h5" component="h2">
      {plan.name}（{plan.code}）
    </Typography>
  );
}

function VersionsTable() {
  const plan = useRecordContext<Plan>();
  const translate = useTranslate();
  if (!plan) return null;
  const cols: [keyof PlanVersionFieldsFragment, boolean][] = [
    ['initialFeeYen', true],
    ['maintenanceYen', true],
    ['softwareFeePerPcYen', true],
    ['connectionPriceYen', true],
    ['minimumTermMonths', false],
  ];
  return (
    <Box sx={{ overflowX: 'auto', my: 2 }}>
      <Table size="small" aria-label={translate('resources.plans.fields.versions')}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('resources.plans.fields.version')}</TableCell>
            <TableCell>{translate('resources.plans.fields.effectiveFrom')}</TableCell>
            {cols.map(([c]) => (
              <TableCell key={c} align="right">
                {translate(`resources.plans.fields.${c}`)}
              </TableCell>
            ))}
            <TableCell align="right">{translate('resources.plans.fields.popupPrices.customer')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {[...plan.versions]
            .sort((a, b) => b.version - a.version)
            .map((v) => (
              <TableRow key={v.id} data-testid="plan-version-row">
                <TableCell>v{v.version}</TableCell>
                <TableCell>{formatDate(v.effectiveFrom)}</TableCell>
                {cols.map(([c, money]) => (
                  <TableCell key={c} align="right">
                    {money ? formatYen(v[c] as number) : String(v[c])}
                  </TableCell>
                ))}
                <TableCell align="right">{formatYen(v.popupPrices.customer)}</TableCell>
              </TableRow>
            ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** The form also carries the plan record it sits in; send only the version's own fields. */
function toPlanVersionInput(values: Record<string, unknown>): PlanVersionInput {
  const v = values as unknown as PlanVersionInput;
  const p = v.popupPrices;
  return {
    effectiveFrom: v.effectiveFrom,
    initialFeeYen: v.initialFeeYen,
    maintenanceYen: v.maintenanceYen,
    softwareFeePerPcYen: v.softwareFeePerPcYen,
    popupPrices: {
      customer: p.customer,
      multipleMatches: p.multipleMatches,
      unknown: p.unknown,
      withheld: p.withheld,
      employee: p.employee,
      nuisance: p.nuisance,
    },
    connectionPriceYen: v.connectionPriceYen,
    packSize: v.packSize,
    packBillingMonths: v.packBillingMonths,
    minimumTermMonths: v.minimumTermMonths,
    listInputPerPopupYen: v.listInputPerPopupYen,
    listInputPerRecordYen: v.listInputPerRecordYen,
  };
}

/** Sales adds a version; it starts from the latest version's prices. Only roles that may (addPlanVersion's row) see it. */
function AddVersionForm() {
  const plan = useRecordContext<Plan>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { permissions } = usePermissions<Role[]>();
  const [saving, setSaving] = useState(false);
  if (!plan || !(permissions ?? []).some((r) => r === 'SALES' || r === 'PLATFORM_ADMIN')) return null;
  const base = latest(plan);
  const defaults = base ? (({ id: _id, version: _v, ...prices }) => prices)(base) : { ...cloudPlanDefaults };

  const submit = async (values: Record<string, unknown>) => {
    setSaving(true);
    try {
      const { addPlanVersion } = await request(AddPlanVersion, { planId: plan.id, input: toPlanVersionInput(values) });
      notify(translate('resources.plans.versionAdded', { version: addPlanVersion.version }), { type: 'success' });
      refresh();
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box component="section" aria-labelledby="add-version-heading" sx={{ mt: 3 }}>
      <Typography variant="h6" component="h3" id="add-version-heading">
        {translate('resources.plans.addVersion')}
      </Typography>
      <Form defaultValues={defaults} onSubmit={submit}>
        <PlanVersionInputs />
        <Button type="submit" variant="contained" disabled={saving}>
          {translate('resources.plans.addVersion')}
        </Button>
      </Form>
    </Box>
  );
}
