import {
  Card,
  CardContent,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { Title, useNotify, usePermissions, useTranslate } from 'react-admin';
import { DEFAULT_TIME_ZONE } from '../../../libs/contracts/src/rules/time-zone';
import { currentSession, type Role } from '../auth/session';
import { dayOfMonth, labelledDays, niceTicks } from '../fields/chartAxis';
import { MonthPicker } from '../fields/MonthPicker';
import { daysOfMonth, formatMonthJa, monthIn } from '../fields/months';
import { formatYen } from '../format/yen';
import { request } from '../graphql/client';
import type { PopupClass, UsageQuery, UsageTenantsQuery } from '../graphql/types';
import { Usage, UsageTenants } from './operations';
import { perDay, popupClasses, totalsByClass } from './usage-table';

const colors: Record<PopupClass, string> = {
  CUSTOMER: '#1976d2',
  MULTIPLE_MATCHES: '#0288d1',
  UNKNOWN: '#ed6c02',
  WITHHELD: '#757575',
  EMPLOYEE: '#2e7d32',
  NUISANCE: '#d32f2f',
};

/** Popups per day by class for a month: tenant admins see their own, back office any tenant's (chosen by name). */
export function UsagePage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { permissions } = usePermissions<Role[]>();
  const staff = (permissions ?? []).some((r) => r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN');
  const thisMonth = monthIn(new Date(), currentSession()?.user.tenant.timezone ?? DEFAULT_TIME_ZONE);
  const [month, setMonth] = useState(thisMonth);
  const [tenantId, setTenantId] = useState('');
  const [tenants, setTenants] = useState<UsageTenantsQuery['tenants']>([]);
  const [usage, setUsage] = useState<UsageQuery['usage'] | null>(null);

  useEffect(() => {
    if (!staff) return;
    request(UsageTenants, {})
      .then((r) => setTenants([...r.tenants].sort((a, b) => a.name.localeCompare(b.name, 'ja'))))
      .catch((err: Error) => notify(err.message, { type: 'error' }));
  }, [staff, notify]);

  useEffect(() => {
    if (staff && !tenantId) {
      setUsage(null);
      return;
    }
    let live = true;
    request(Usage, { month, tenantId: staff ? tenantId : null })
      .then((r) => live && setUsage(r.usage))
      .catch((err: Error) => notify(err.message, { type: 'error' }));
    return () => {
      live = false;
    };
  }, [month, tenantId, staff, notify]);

  const totals = usage ? totalsByClass(usage.days) : [];
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('resources.usage.name')} />
      <CardContent>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 2 }}>
          <MonthPicker
            label={translate('resources.usage.month')}
            value={month}
            onChange={setMonth}
            latest={thisMonth}
          />
          {staff && (
            <TextField
              select
              label={translate('resources.usage.tenant')}
              value={tenantId}
              onChange={(e) => setTenantId(e.target.value)}
              size="small"
              sx={{ minWidth: 280 }}
            >
              {tenants.map((t) => (
                <MenuItem key={t.id} value={t.id}>
                  {t.name}
                </MenuItem>
              ))}
            </TextField>
          )}
        </Stack>
        {staff && !tenantId && (
          <Typography color="text.secondary">{translate('resources.usage.chooseTenant')}</Typography>
        )}
        {usage && (
          <>
            <Typography data-testid="usage-totals">
              {translate('resources.usage.totals', {
                popups: usage.totalPopups.toLocaleString('ja-JP'),
                amount: formatYen(usage.totalAmountYen),
              })}
            </Typography>
            <UsageChart
              usage={usage}
              title={`${translate('resources.usage.chart')}（${formatMonthJa(usage.month)}）`}
              axisDay={translate('resources.usage.axisDay')}
            />
            <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap', mb: 2 }}>
              {popupClasses.map((c) => (
                <Typography key={c} variant="body2">
                  <span style={{ color: colors[c] }}>■</span> {translate(`popupClass.${c}`)}
                </Typography>
              ))}
            </Stack>
            <Table size="small" aria-label={translate('resources.usage.byClass')} sx={{ maxWidth: 640 }}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate('resources.usage.class')}</TableCell>
                  <TableCell align="right">{translate('resources.usage.popups')}</TableCell>
                  <TableCell align="right">{translate('resources.usage.billedPopups')}</TableCell>
                  <TableCell align="right">{translate('resources.usage.amount')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {totals.map((t) => (
                  <TableRow key={t.class}>
                    <TableCell>
                      <span style={{ color: colors[t.class] }}>■</span> {translate(`popupClass.${t.class}`)}
                    </TableCell>
                    <TableCell align="right">{t.popups.toLocaleString('ja-JP')}</TableCell>
                    <TableCell align="right">{t.billedPopups.toLocaleString('ja-JP')}</TableCell>
                    <TableCell align="right">{formatYen(t.amountYen)}</TableCell>
                  </TableRow>
                ))}
                <TableRow>
                  <TableCell sx={{ fontWeight: 'bold' }}>{translate('resources.usage.total')}</TableCell>
                  <TableCell align="right" sx={{ fontWeight: 'bold' }}>
                    {usage.totalPopups.toLocaleString('ja-JP')}
                  </TableCell>
                  <TableCell align="right" sx={{ fontWeight: 'bold' }}>
                    {totals.reduce((n, t) => n + t.billedPopups, 0).toLocaleString('ja-JP')}
                  </TableCell>
                  <TableCell align="right" sx={{ fontWeight: 'bold' }}>
                    {formatYen(usage.totalAmountYen)}
                  </TableCell>
                </TableRow>
              </TableBody>
            </Table>
          </>
        )}
      </CardContent>
    </Card>
  );
}

/** Stacked bars per day of the month, a count axis with grid lines and a day axis (1 … 31). */
function UsageChart({ usage, title, axisDay }: { usage: UsageQuery['usage']; title: string; axisDay: string }) {
  const rows = perDay(daysOfMonth(usage.month).days, usage.days);
  const width = 720;
  const height = 260;
  const left = 44;
  const right = 12;
  const top = 12;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const ticks = niceTicks(Math.max(0, ...rows.map((d) => d.byClass.reduce((a, b) => a + b, 0))));
  const max = ticks[ticks.length - 1] ?? 1;
  const bar = plotW / rows.length;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const shown = new Set(labelledDays(rows.length, plotW, 20));
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} style={{ width: '100%', maxWidth: width }}>
      <title>{title}</title>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={left} x2={width - right} y1={y(t)} y2={y(t)} stroke="#e0e0e0" />
          <text x={left - 6} y={y(t) + 4} fontSize="11" textAnchor="end" fill="#555">
            {t.toLocaleString('ja-JP')}
          </text>
        </g>
      ))}
      {rows.map((d, i) => {
        let top = y(0);
        const total = d.byClass.reduce((a, b) => a + b, 0);
        return (
          <g key={d.date}>
            <title>{`${d.date}: ${total}`}</title>
            {d.byClass.map((n, ci) => {
              if (n === 0) return null;
              const h = y(0) - y(n);
              top -= h;
              return (
                <rect
                  key={popupClasses[ci]}
                  x={left + i * bar + 1}
                  y={top}
                  width={Math.max(1, bar - 2)}
                  height={h}
                  fill={colors[popupClasses[ci] as PopupClass]}
                />
              );
            })}
            {shown.has(i) && (
              <text x={left + i * bar + bar / 2} y={height - bottom + 14} fontSize="11" textAnchor="middle" fill="#555">
                {dayOfMonth(d.date)}
              </text>
            )}
          </g>
        );
      })}
      <line x1={left} x2={width - right} y1={y(0)} y2={y(0)} stroke="#999" />
      <text x={left + plotW / 2} y={height - 6} fontSize="11" textAnchor="middle" fill="#555">
        {axisDay}
      </text>
    </svg>
  );
}
