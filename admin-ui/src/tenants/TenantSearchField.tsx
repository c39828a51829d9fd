import { Autocomplete, TextField } from '@mui/material';
import { useEffect, useState } from 'react';
import { useDataProvider, useGetMany } from 'react-admin';

interface TenantOption {
  id: string;
  name: string;
}

/**
 * A tenant chosen by name (the tenants resource's name search), for filters outside react-admin
 * forms: staff never type or read a tenant's UUID.
 */
export function TenantSearchField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (tenantId: string) => void;
}) {
  const dataProvider = useDataProvider();
  const [input, setInput] = useState('');
  const [options, setOptions] = useState<TenantOption[]>([]);
  const { data: chosen } = useGetMany<TenantOption>('tenants', { ids: value ? [value] : [] });

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void dataProvider
        .getList<TenantOption>('tenants', {
          pagination: { page: 1, perPage: 20 },
          sort: { field: 'name', order: 'ASC' },
          filter: input ? { q: input } : {},
        })
        .then(({ data }) => {
          if (live) setOptions(data);
        })
        .catch(() => {
          if (live) setOptions([]);
        });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [dataProvider, input]);

  const selected = chosen?.[0] ?? null;
  return (
    <Autocomplete<TenantOption>
      size="small"
      sx={{ width: 300 }}
      options={selected && !options.some((o) => o.id === selected.id) ? [selected, ...options] : options}
      value={selected}
      getOptionLabel={(o) => o.name}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      filterOptions={(x) => x}
      onInputChange={(_e, text) => setInput(text)}
      onChange={(_e, option) => onChange(option?.id ?? '')}
      renderInput={(params) => <TextField {...params} label={label} />}
    />
  );
}

/** A tenant's name for a table cell (the id only while it loads or if the tenant is gone). */
export function TenantName({ id, names }: { id: string | null; names: Map<string, string> }) {
  if (!id) return null;
  return <>{names.get(id) ?? id}</>;
}
