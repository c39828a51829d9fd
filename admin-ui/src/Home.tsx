import { Box, Card, CardActionArea, CardContent, Grid, Typography } from '@mui/material';
import { type ReactNode, useEffect, useState } from 'react';
import { Title, useNotify, useTranslate } from 'react-admin';
import { Link, Navigate } from 'react-router-dom';
import { DEFAULT_TIME_ZONE } from '../../libs/contracts/src/rules/time-zone';
import { landingPage } from './auth/authProvider';
import { currentSession, type Role } from './auth/session';
import { dayStart, formatMonthJa, monthIn, monthSoFar } from './fields/months';
import { formatYen } from './format/yen';
import { request } from './graphql/client';
import { operation } from './graphql/operation';
import type {
  BackOfficeDashboardQuery,
  TenantAdminDashboardQuery,
  TenantAdminDashboardQueryVariables,
} from './graphql/types';

export const BackOfficeDashboard = operation<BackOfficeDashboardQuery>(/* GraphQL */ `
  query BackOfficeDashboard {
    tenants {
      id
    }
    billingOverview {
      thisMonth {
        month
        invoicedYen
        invoices
      }
      lastMonth {
        month
        invoicedYen
        invoices
      }
      drafts
      unpaid
    }
  }
`);

export const TenantAdminDashboard = operation<TenantAdminDashboardQuery, TenantAdminDashboardQueryVariables>(
  /* GraphQL */ `
    query TenantAdminDashboard($today: String!, $month: String!, $monthStart: String!, $now: String!) {
      callsToday: calls(filter: { since: $today }, page: { limit: 1 }) {
        total
      }
      missedToday: calls(filter: { since: $today, status: [MISSED] }, page: { limit: 1 }) {
        total
      }
      usage(month: $month) {
        days {
          billedPopups
        }
      }
      connectionUsage(from: $monthStart, to: $now) {
        peak
        capacity
      }
    }
  `,
);

/** What the tenant admin's dashboard asks for, read in the tenant's zone: today and this month so far. */
export function tenantAdminVariables(now: Date, timeZone: string): TenantAdminDashboardQueryVariables {
  const month = monthIn(now, timeZone);
  const { start } = monthSoFar(month, timeZone, now);
  // connectionUsage needs from < to: in the month's first minute, look at that minute.
  const to = now.getTime() > start.getTime() ? now : new Date(start.getTime() + 60_000);
  return {
    today: dayStart(now, timeZone).toISOString(),
    month,
    monthStart: start.toISOString(),
    now: to.toISOString(),
  };
}

function Figure({
  label,
  value,
  note,
  to,
  testId,
}: {
  label: string;
  value: ReactNode;
  note?: string;
  to?: string;
  testId: string;
}) {
  const body = (
    <CardContent>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="h4" component="p" data-testid={testId}>
        {value}
      </Typography>
      {note && (
        <Typography variant="caption" color="text.secondary">
          {note}
        </Typography>
      )}
    </CardContent>
  );
  return (
    <Grid size={{ xs: 12, sm: 6, md: 3 }}>
      <Card variant="outlined" sx={{ height: '100%' }}>
        {to ? (
          <CardActionArea component={Link} to={to} sx={{ height: '100%' }}>
            {body}
          </CardActionArea>
        ) : (
          body
        )}
      </Card>
    </Grid>
  );
}

function BackOfficeFigures() {
  const translate = useTranslate();
  const notify = useNotify();
  const [data, setData] = useState<BackOfficeDashboardQuery | null>(null);
  useEffect(() => {
    request(BackOfficeDashboard, {})
      .then(setData)
      .catch((err: Error) => notify(err.message, { type: 'error' }));
  }, [notify]);
  if (!data) return null;
  const o = data.billingOverview;
  return (
    <Grid container spacing={2} aria-label={translate('app.dashboard.backOffice')} role="region">
      <Figure
        testId="dash-tenants"
        label={translate('app.dashboard.tenants')}
        value={data.tenants.length}
        to="/tenants"
      />
      <Figure
        testId="dash-revenue-this"
        label={translate('app.dashboard.revenueThisMonth', { month: formatMonthJa(o.thisMonth.month) })}
        value={formatYen(o.thisMonth.invoicedYen)}
        note={translate('app.dashboard.revenueNote', { invoices: o.thisMonth.invoices })}
        to="/invoices"
      />
      <Figure
        testId="dash-revenue-last"
        label={translate('app.dashboard.revenueLastMonth', { month: formatMonthJa(o.lastMonth.month) })}
        value={formatYen(o.lastMonth.invoicedYen)}
        note={translate('app.dashboard.revenueNote', { invoices: o.lastMonth.invoices })}
        to="/invoices"
      />
      <Figure
        testId="dash-waiting"
        label={translate('app.dashboard.waiting')}
        value={o.drafts + o.unpaid}
        note={translate('app.dashboard.waitingNote', { drafts: o.drafts, unpaid: o.unpaid })}
        to="/invoices"
      />
    </Grid>
  );
}

function TenantAdminFigures({ timeZone }: { timeZone: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [data, setData] = useState<TenantAdminDashboardQuery | null>(null);
  useEffect(() => {
    request(TenantAdminDashboard, tenantAdminVariables(new Date(), timeZone))
      .then(setData)
      .catch((err: Error) => notify(err.message, { type: 'error' }));
  }, [notify, timeZone]);
  if (!data) return null;
  const billed = data.usage.days.reduce((n, d) => n + d.billedPopups, 0);
  return (
    <Grid container spacing={2} aria-label={translate('app.dashboard.tenantAdmin')} role="region">
      <Figure testId="dash-calls-today" label={translate('app.dashboard.callsToday')} value={data.callsToday.total} />
      <Figure
        testId="dash-missed-today"
        label={translate('app.dashboard.missedToday')}
        value={data.missedToday.total}
      />
      <Figure
        testId="dash-billed-popups"
        label={translate('app.dashboard.billedPopups')}
        value={billed.toLocaleString('ja-JP')}
        to="/usage"
      />
      <Figure
        testId="dash-connection-peak"
        label={translate('app.dashboard.connectionPeak')}
        value={data.connectionUsage.peak}
        note={translate('app.dashboard.capacityNote', { capacity: data.connectionUsage.capacity })}
        to="/concurrency"
      />
    </Grid>
  );
}

/** `/`: operators go straight to their console; back office and tenant admins see their figures. */
export function Home() {
  const translate = useTranslate();
  const session = currentSession();
  if (landingPage(session) === '/console') return <Navigate to="/console" replace />;
  const roles: Role[] = session?.user.roles ?? [];
  const backOffice = roles.some((r) => r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN');
  const tenantAdmin = roles.includes('TENANT_ADMIN');
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('app.title')} />
      <CardContent>
        <Typography variant="h5" component="h2">
          {session?.user.tenant.name}
        </Typography>
        <Typography sx={{ mb: 2 }}>{session?.user.name}</Typography>
        <Box sx={{ display: 'grid', gap: 2 }}>
          {backOffice && <BackOfficeFigures />}
          {tenantAdmin && <TenantAdminFigures timeZone={session?.user.tenant.timezone ?? DEFAULT_TIME_ZONE} />}
        </Box>
      </CardContent>
    </Card>
  );
}
