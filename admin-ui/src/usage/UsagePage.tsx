import { Button, Card, CardContent, Stack, TextField, Typography } from '@mui/material';
import { type FormEvent, useState } from 'react';
import { Title, useNotify, usePermissions, useTranslate } from 'react-admin';
import type { Role } from '../auth/session';
import { formatYen } from '../format/yen';
import { request } from '../graphql/client';
import type { PopupClass, UsageQuery } from '../graphql/types';
import { Usage } from './operations';

const classes: PopupClass[] = ['CUSTOMER', 'MULTIPLE_MATCHES', 'UNKNOWN', 'WITHHELD', 'EMPLOYEE', 'NUISANCE'];
const colors: Record<PopupClass, string> = {
  CUSTOMER: '#1976d2',
  MULTIPLE_MATCHES: '#0288d1',
  UNKNOWN: '#ed6c02',
  WITHHELD: '#757575',
  EMPLOYEE: '#2e7d32',
  NUISANCE: '#d32f2f',
};

/** Popups per day by class for a month: tenant admins see their own, provider staff any tenant's. */
export function UsagePage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { permissions } = usePermissions<Role[]>();
  const staff = (permissions ?? []).some((r) => r === 'BACK_OFFICE' || r === 'SALES' || r === 'PLATFORM_ADMIN');
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const [tenantId, setTenantId] = useState('');
  const [usage, setUsage] = useState<UsageQuery['usage'] | null>(null);

  const load = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setUsage((await request(Usage, { month, tenantId: staff && tenantId ? tenantId : null })).usage);
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('resources.usage.name')} />
      <CardContent>
        <Stack component="form" onSubmit={load} direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 2 }}>
          <TextField
            label={translate('resources.usage.month')}
            value={month}
            onChange={(e) => setMonth(e.target.value)}
            size="small"
          />
          {staff && (
            <TextField
              label={translate('resources.usage.tenantId')}
              value={tenantId}
              onChange={(e) => setTenantId(e.target.value)}
              size="small"
              sx={{ minWidth: 360 }}
            />
          )}
          <Button type="submit" variant="contained">
            {translate('resources.usage.show')}
          </Button>
        </Stack>
        {usage && (
          <>
            <Typography>
              {translate('resources.usage.totals', {
                popups: usage.totalPopups,
                amount: formatYen(usage.totalAmountYen),
              })}
            </Typography>
            <UsageChart usage={usage} title={translate('resources.usage.chart')} />
            <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap' }}>
              {classes.map((c) => (
                <Typography key={c} variant="body2">
                  <span style={{ color: colors[c] }}>■</span> {translate(`popupClass.${c}`)}
                </Typography>
              ))}
            </Stack>
          </>
        )}
      </CardContent>
    </Card>
  );
}

function UsageChart({ usage, title }: { usage: UsageQuery['usage']; title: string }) {
  const dates = [...new Set(usage.days.map((d) => d.date))].sort();
  const perDate = dates.map((date) => ({
    date,
    byClass: classes.map((c) =>
      usage.days.filter((d) => d.date === date && d.class === c).reduce((n, d) => n + d.popups, 0),
    ),
  }));
  const max = Math.max(1, ...perDate.map((d) => d.byClass.reduce((a, b) => a + b, 0)));
  const width = 640;
  const height = 220;
  const pad = 24;
  const bar = dates.length ? (width - pad * 2) / dates.length : 0;
  const scale = (v: number) => (v / max) * (height - pad * 2);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} style={{ width: '100%', maxWidth: width }}>
      <title>{title}</title>
      {perDate.map((d, i) => {
        let y = height - pad;
        return (
          <g key={d.date}>
            <title>{`${d.date}: ${d.byClass.reduce((a, b) => a + b, 0)}`}</title>
            {d.byClass.map((n, ci) => {
              const h = scale(n);
              y -= h;
              return n > 0 ? (
                <rect
                  key={classes[ci]}
                  x={pad + i * bar + 1}
                  y={y}
                  width={Math.max(1, bar - 2)}
                  height={h}
                  fill={colors[classes[ci] as PopupClass]}
                />
              ) : null;
            })}
          </g>
        );
      })}
      <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} stroke="#999" />
      <text x={pad} y={pad - 6} fontSize="11">
        {max}
      </text>
    </svg>
  );
}
