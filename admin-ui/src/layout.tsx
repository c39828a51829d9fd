import EventIcon from '@mui/icons-material/Event';
import HeadsetMicIcon from '@mui/icons-material/HeadsetMic';
import LanIcon from '@mui/icons-material/Lan';
import type { ReactNode } from 'react';
import { Menu, Layout as RaLayout, usePermissions } from 'react-admin';
import type { Role } from './auth/session';

function AppMenu() {
  const { permissions } = usePermissions<Role[]>();
  const tenantAdmin = (permissions ?? []).includes('TENANT_ADMIN');
  return (
    <Menu>
      <Menu.Item to="/console" primaryText="app.menu.console" leftIcon={<HeadsetMicIcon />} />
      <Menu.ResourceItems />
      {tenantAdmin && <Menu.Item to="/calendar" primaryText="resources.calendar.name" leftIcon={<EventIcon />} />}
      {tenantAdmin && <Menu.Item to="/concurrency" primaryText="resources.concurrency.name" leftIcon={<LanIcon />} />}
    </Menu>
  );
}

export const Layout = ({ children }: { children: ReactNode }) => <RaLayout menu={AppMenu}>{children}</RaLayout>;
