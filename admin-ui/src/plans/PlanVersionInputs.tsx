import { Box } from '@mui/material';
import { DateInput, NumberInput, required } from 'react-admin';

const yen = [required()];

/** The priced fields of a plan version, under `prefix` (e.g. `firstVersion.`). */
export function PlanVersionInputs({ prefix = '' }: { prefix?: string }) {
  const f = (name: string) => `${prefix}${name}`;
  const label = (name: string) => `resources.plans.fields.${name}`;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', md: '1fr 1fr 1fr' }, columnGap: 2 }}>
      <DateInput source={f('effectiveFrom')} label={label('effectiveFrom')} validate={required()} />
      <NumberInput source={f('initialFeeYen')} label={label('initialFeeYen')} validate={yen} min={0} step={1} />
      <NumberInput source={f('maintenanceYen')} label={label('maintenanceYen')} validate={yen} min={0} step={1} />
      <NumberInput
        source={f('softwareFeePerPcYen')}
        label={label('softwareFeePerPcYen')}
        validate={yen}
        min={0}
        step={1}
      />
      <NumberInput
        source={f('connectionPriceYen')}
        label={label('connectionPriceYen')}
        validate={yen}
        min={0}
        step={1}
      />
      <NumberInput source={f('packSize')} label={label('packSize')} validate={yen} min={1} step={1} />
      <NumberInput source={f('packBillingMonths')} label={label('packBillingMonths')} validate={yen} min={1} step={1} />
      <NumberInput source={f('minimumTermMonths')} label={label('minimumTermMonths')} validate={yen} min={0} step={1} />
      <NumberInput
        source={f('listInputPerPopupYen')}
        label={label('listInputPerPopupYen')}
        validate={yen}
        min={0}
        step={1}
      />
      <NumberInput
        source={f('listInputPerRecordYen')}
        label={label('listInputPerRecordYen')}
        validate={yen}
        min={0}
        step={1}
      />
      {(['customer', 'multipleMatches', 'unknown', 'withheld', 'employee', 'nuisance'] as const).map((c) => (
        <NumberInput
          key={c}
          source={f(`popupPrices.${c}`)}
          label={label(`popupPrices.${c}`)}
          validate={yen}
          min={0}
          step={1}
        />
      ))}
    </Box>
  );
}

/** The Cloud plan's prices (docs/product-rules.md#plans), a starting point for a new plan. */
export const cloudPlanDefaults = {
  effectiveFrom: new Date().toISOString().slice(0, 10),
  initialFeeYen: 0,
  maintenanceYen: 10_000,
  softwareFeePerPcYen: 1_050,
  connectionPriceYen: 990,
  packSize: 5,
  packBillingMonths: 12,
  minimumTermMonths: 12,
  listInputPerPopupYen: 5,
  listInputPerRecordYen: 40,
  popupPrices: { customer: 30, multipleMatches: 30, unknown: 30, withheld: 30, employee: 15, nuisance: 0 },
};
