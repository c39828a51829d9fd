import AccountBalanceIcon from '@mui/icons-material/AccountBalance';
import BarChartIcon from '@mui/icons-material/BarChart';
import EventIcon from '@mui/icons-material/Event';
import HeadsetMicIcon from '@mui/icons-material/HeadsetMic';
import HistoryIcon from '@mui/icons-material/History';
import InstallDesktopIcon from '@mui/icons-material/InstallDesktop';
import LanIcon from '@mui/icons-material/Lan';
import ManageSearchIcon from '@mui/icons-material/ManageSearch';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import WebhookIcon from '@mui/icons-material/Webhook';
import { ListSubheader } from '@mui/material';
import type { ReactNode } from 'react';
import { Menu, Layout as RaLayout, usePermissions, useTranslate } from 'react-admin';
import type { Role } from './auth/session';

function AppMenu() {
  const { permissions } = usePermissions<Role[]>();
  const translate = useTranslate();
  const roles = permissions ?? [];
  const tenantAdmin = roles.includes('TENANT_ADMIN');
  // The console and the desktop app are for the tenant's people who take calls, not provider staff.
  const floor = roles.some((r) => r === 'OPERATOR' || r === 'TENANT_ADMIN');
  const billingStaff = roles.some((r) => r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN');
  // The usage query is for tenant admins, back office and platform admins (the role table), not sales.
  const usageViewer = tenantAdmin || billingStaff;
  return (
    <Menu>
      {floor && <Menu.Item to="/console" primaryText="app.menu.console" leftIcon={<HeadsetMicIcon />} />}
      {floor && <Menu.Item to="/desktop-setup" primaryText="app.menu.desktopSetup" leftIcon={<InstallDesktopIcon />} />}
      <Menu.ResourceItems />
      {tenantAdmin && <Menu.Item to="/calendar" primaryText="resources.calendar.name" leftIcon={<EventIcon />} />}
      {tenantAdmin && (
        <Menu.Item to="/customer-import" primaryText="resources.customerImport.name" leftIcon={<UploadFileIcon />} />
      )}
      {tenantAdmin && <Menu.Item to="/concurrency" primaryText="resources.concurrency.name" leftIcon={<LanIcon />} />}
      {billingStaff && (
        <Menu.Item
          to="/invoice-settings"
          primaryText="resources.invoiceSettings.name"
          leftIcon={<AccountBalanceIcon />}
        />
      )}
      {usageViewer && <Menu.Item to="/usage" primaryText="resources.usage.name" leftIcon={<BarChartIcon />} />}
      {/* 操作履歴: the role table gives the audit log to tenant admins, platform admins and back office. */}
      {(tenantAdmin || billingStaff) && (
        <Menu.Item to="/audit" primaryText="resources.audit.name" leftIcon={<HistoryIcon />} />
      )}
      {/* 連携 (last, a section of its own): the tenant's integrations, tenant admins only (the role table). */}
      {tenantAdmin && <ListSubheader component="div">{translate('app.menu.integrations')}</ListSubheader>}
      {/* 連携 › Webhook 送信: the tenant's outbound webhooks (docs/integrations.md "Outbound webhooks"). */}
      {tenantAdmin && (
        <Menu.Item to="/integrations/webhooks" primaryText="resources.webhooks.name" leftIcon={<WebhookIcon />} />
      )}
      {tenantAdmin && (
        <Menu.Item
          to="/integrations/lookup"
          primaryText="resources.lookupSources.name"
          leftIcon={<ManageSearchIcon />}
        />
      )}
    </Menu>
  );
}

export const Layout = ({ children }: { children: ReactNode }) => <RaLayout menu={AppMenu}>{children}</RaLayout>;
