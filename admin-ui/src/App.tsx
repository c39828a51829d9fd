import BadgeIcon from '@mui/icons-material/Badge';
import BlockIcon from '@mui/icons-material/Block';
import BusinessIcon from '@mui/icons-material/Business';
import ComputerIcon from '@mui/icons-material/Computer';
import ContactsIcon from '@mui/icons-material/Contacts';
import DescriptionIcon from '@mui/icons-material/Description';
import MailOutlineIcon from '@mui/icons-material/EmailOutlined';
import PeopleIcon from '@mui/icons-material/People';
import PhoneIcon from '@mui/icons-material/Phone';
import PriceChangeIcon from '@mui/icons-material/PriceChange';
import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import TuneIcon from '@mui/icons-material/Tune';
import VpnKeyIcon from '@mui/icons-material/VpnKey';
import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { ApiKeyCreate, ApiKeyList } from './apiKeys/ApiKeyPages';
import { AuditLogPage } from './audit/AuditLogPage';
import { authProvider } from './auth/authProvider';
import type { Role } from './auth/session';
import { BusinessCalendarPage } from './calendar/BusinessCalendarPage';
import { ConcurrencyPage } from './concurrency/ConcurrencyPage';
import { ConsolePage } from './console/ConsolePage';
import { ContractCreate, ContractList, ContractShow } from './contracts/ContractPages';
import { CustomerImportPage } from './customerImport/CustomerImportPage';
import { CustomerCreate, CustomerEdit, CustomerList } from './customers/CustomerPages';
import { CustomFieldCreate, CustomFieldList } from './customFields/CustomFieldPages';
import { dataProvider } from './dataProvider';
import { Home } from './Home';
import { i18nProvider } from './i18n/i18nProvider';
import { LookupSourcesPage } from './integrations/lookup/LookupSourcesPage';
import { WebhooksPage } from './integrations/webhooks/WebhooksPage';
import { AcceptInvitationPage, ForgotPasswordPage, LoginPage, ResetPasswordPage } from './invitations/AccountPages';
import { InvitationList } from './invitations/InvitationPages';
import { InvoiceList, InvoiceSettingsPage, InvoiceShow } from './invoices/InvoicePages';
import { Layout } from './layout';
import { LineCreate, LineEdit, LineList } from './lines/LinePages';
import {
  EmployeeNumberCreate,
  EmployeeNumberList,
  NuisanceNumberCreate,
  NuisanceNumberList,
} from './numbers/NumberPages';
import { PlanCreate, PlanList, PlanShow } from './plans/PlanPages';
import { DesktopSetupPage } from './pwa/DesktopSetupPage';
import { SeatCreate, SeatList } from './seats/SeatPages';
import { TenantCreate, TenantList, TenantShow } from './tenants/TenantPages';
import { UsagePage } from './usage/UsagePage';
import { UserCreate, UserList } from './users/UserPages';

const tenantAdmin = (roles: Role[]) => roles.includes('TENANT_ADMIN');
const backOffice = (roles: Role[]) => roles.some((r) => r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN');
const floor = (roles: Role[]) => roles.some((r) => r === 'OPERATOR' || r === 'TENANT_ADMIN');
// Who may invite into their own tenant manages its open invitations (the authorization matrix's row).
const inviter = (roles: Role[]) => roles.some((r) => r === 'TENANT_ADMIN' || r === 'PLATFORM_ADMIN');
const provider = (roles: Role[]) => roles.some((r) => r === 'SALES' || r === 'BACK_OFFICE' || r === 'PLATFORM_ADMIN');
// Create buttons follow the role table (libs/platform/src/auth/authorization-matrix.ts): createPlan is
// sales' and platform admins', createContract the back office's and platform admins'.
const planAuthor = (roles: Role[]) => roles.some((r) => r === 'SALES' || r === 'PLATFORM_ADMIN');

export function App() {
  return (
    <Admin
      title="Thankstar"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      layout={Layout}
      dashboard={Home}
      loginPage={LoginPage}
      requireAuth
      disableTelemetry
    >
      {/* Public: the pages the mailed links open (no sign-in; the token is the proof). Outside the
          permissions function, since react-admin renders only these while nobody is signed in. */}
      <CustomRoutes noLayout>
        <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        {/* The desktop client's small window: the console without the menu and app bar. */}
        <Route path="/compact" element={<ConsolePage compact />} />
      </CustomRoutes>
      {(permissions: Role[]) => (
        <>
          <CustomRoutes>
            <Route path="/calendar" element={<BusinessCalendarPage />} />
            <Route path="/concurrency" element={<ConcurrencyPage />} />
            <Route path="/usage" element={<UsagePage />} />
            <Route path="/audit" element={<AuditLogPage />} />
            <Route path="/customer-import" element={<CustomerImportPage />} />
            <Route path="/integrations/webhooks" element={<WebhooksPage />} />
          </CustomRoutes>
          {floor(permissions ?? []) && (
            <CustomRoutes>
              <Route path="/console" element={<ConsolePage />} />
              <Route path="/desktop-setup" element={<DesktopSetupPage />} />
            </CustomRoutes>
          )}
          {floor(permissions ?? []) && (
            <Resource
              name="customers"
              list={CustomerList}
              create={CustomerCreate}
              edit={CustomerEdit}
              icon={ContactsIcon}
              recordRepresentation="name"
            />
          )}
          {tenantAdmin(permissions ?? []) && (
            <>
              <Resource name="users" list={UserList} create={UserCreate} icon={PeopleIcon} />
              <Resource name="invitations" list={InvitationList} icon={MailOutlineIcon} />
              <Resource
                name="employeeNumbers"
                list={EmployeeNumberList}
                create={EmployeeNumberCreate}
                icon={BadgeIcon}
              />
              <Resource
                name="nuisanceNumbers"
                list={NuisanceNumberList}
                create={NuisanceNumberCreate}
                icon={BlockIcon}
              />
              <Resource name="customFields" list={CustomFieldList} create={CustomFieldCreate} icon={TuneIcon} />
              <Resource name="lines" list={LineList} create={LineCreate} edit={LineEdit} icon={PhoneIcon} />
              <Resource name="seats" list={SeatList} create={SeatCreate} icon={ComputerIcon} />
              <Resource name="webhookKeys" list={ApiKeyList} create={ApiKeyCreate} icon={VpnKeyIcon} />
            </>
          )}
          {/* 連携: the tenant's integrations (Integration plan), tenant admins only (the role table). */}
          {tenantAdmin(permissions ?? []) && (
            <CustomRoutes>
              <Route path="/integrations/lookup" element={<LookupSourcesPage />} />
            </CustomRoutes>
          )}
          {/* Platform admins invite provider staff into the provider tenant: its invitations, without the users list. */}
          {inviter(permissions ?? []) && !tenantAdmin(permissions ?? []) && (
            <Resource name="invitations" list={InvitationList} icon={MailOutlineIcon} />
          )}
          {provider(permissions ?? []) && (
            <>
              <Resource
                name="tenants"
                list={TenantList}
                show={TenantShow}
                create={backOffice(permissions ?? []) ? TenantCreate : undefined}
                icon={BusinessIcon}
                recordRepresentation="name"
              />
              <Resource
                name="plans"
                list={PlanList}
                show={PlanShow}
                create={planAuthor(permissions ?? []) ? PlanCreate : undefined}
                icon={PriceChangeIcon}
                recordRepresentation="name"
              />
              <Resource
                name="contracts"
                list={ContractList}
                show={ContractShow}
                create={backOffice(permissions ?? []) ? ContractCreate : undefined}
                icon={DescriptionIcon}
              />
            </>
          )}
          {/* Invoices: every tenant's for back office and platform admins, a tenant admin's own issued ones. */}
          {(tenantAdmin(permissions ?? []) || backOffice(permissions ?? [])) && (
            <Resource
              name="invoices"
              list={InvoiceList}
              show={InvoiceShow}
              icon={ReceiptLongIcon}
              recordRepresentation="number"
            />
          )}
          {backOffice(permissions ?? []) && (
            <CustomRoutes>
              <Route path="/invoice-settings" element={<InvoiceSettingsPage />} />
            </CustomRoutes>
          )}
        </>
      )}
    </Admin>
  );
}
