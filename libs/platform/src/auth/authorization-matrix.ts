import type { Principal, Role } from './principal';

/** Whose data an operation reaches. The tenant always comes from the verified token, except where a rule says otherwise. */
export const tenantRules = {
  NONE: 'Public: no tenant (before sign-in).',
  SELF: "The caller's own user, in the caller's tenant (from the token).",
  OWN: "The caller's tenant, from the token; no argument can name another.",
  OWN_OR_NAMED_BY_PROVIDER:
    "The caller's tenant; provider staff (back-office, sales, platform-admin) may name one with `tenantId`.",
  OWN_OR_ANY_BY_PROVIDER:
    "The caller's tenant; provider staff (back-office, sales, platform-admin) see every tenant's, or one named with `tenantId`.",
  ANY_BY_PROVIDER: 'Provider staff only; any tenant, named by the arguments (or all of them, for lists).',
  CATALOG: 'Provider-wide data (plans), no tenant.',
} as const;
export type TenantRule = keyof typeof tenantRules;

export interface OperationRule {
  /** `public`: no token needed; `signed-in`: any verified token; else one of these roles. */
  roles: 'public' | 'signed-in' | readonly Role[];
  tenant: TenantRule;
}

const floor: readonly Role[] = ['operator', 'tenant-admin'];
const tenantAdmin: readonly Role[] = ['tenant-admin'];

/**
 * Every operation of the API and who may call it: the one table of roles. The gateway enforces it
 * before a subgraph is called, and every subgraph's AuthGuard enforces the same row again for its
 * own root fields (a token sent straight to a subgraph meets the same rule; subgraphs also scope
 * by tenant). A field missing here is refused by both, and the test that reads the supergraph fails.
 */
export const authorizationMatrix: Record<string, OperationRule> = {
  'Query.me': { roles: 'signed-in', tenant: 'SELF' },
  'Query.plans': { roles: ['sales', 'back-office', 'platform-admin'], tenant: 'CATALOG' },
  'Query.contract': {
    roles: ['tenant-admin', 'back-office', 'sales', 'platform-admin'],
    tenant: 'OWN_OR_NAMED_BY_PROVIDER',
  },
  'Query.contracts': {
    roles: ['tenant-admin', 'back-office', 'sales', 'platform-admin'],
    tenant: 'OWN_OR_ANY_BY_PROVIDER',
  },
  'Query.contractPage': {
    roles: ['tenant-admin', 'back-office', 'sales', 'platform-admin'],
    tenant: 'OWN_OR_ANY_BY_PROVIDER',
  },
  'Query.contractById': {
    roles: ['tenant-admin', 'back-office', 'sales', 'platform-admin'],
    tenant: 'OWN_OR_NAMED_BY_PROVIDER',
  },
  'Query.previewTermination': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Query.businessCalendar': {
    roles: ['tenant-admin', 'back-office', 'platform-admin'],
    tenant: 'OWN_OR_NAMED_BY_PROVIDER',
  },
  'Query.pendingPopups': { roles: floor, tenant: 'OWN' },
  'Query.popup': { roles: floor, tenant: 'OWN' },
  'Query.lookupSources': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.customers': { roles: floor, tenant: 'OWN' },
  'Query.customer': { roles: floor, tenant: 'OWN' },
  'Query.customersByPhone': { roles: floor, tenant: 'OWN' },
  'Query.purchases': { roles: floor, tenant: 'OWN' },
  'Query.interactions': { roles: floor, tenant: 'OWN' },
  'Query.activeLeases': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.connectionUsage': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.calls': { roles: floor, tenant: 'OWN' },
  'Query.call': { roles: floor, tenant: 'OWN' },
  'Query.missedCalls': { roles: floor, tenant: 'OWN' },
  'Query.webhookKeys': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.webhookEventTypes': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.webhookEndpoints': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.webhookDeliveries': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.usage': { roles: ['tenant-admin', 'back-office', 'platform-admin'], tenant: 'OWN_OR_NAMED_BY_PROVIDER' },
  // Public law, no tenant data: whoever may edit a business calendar sees the holidays on it.
  'Query.nationalHolidays': { roles: ['tenant-admin', 'back-office', 'platform-admin'], tenant: 'CATALOG' },
  'Query.billingOverview': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Query.invoices': { roles: ['tenant-admin', 'back-office', 'platform-admin'], tenant: 'OWN_OR_NAMED_BY_PROVIDER' },
  'Query.invoice': { roles: ['tenant-admin', 'back-office', 'platform-admin'], tenant: 'OWN_OR_NAMED_BY_PROVIDER' },
  'Query.invoicePage': { roles: ['tenant-admin', 'back-office', 'platform-admin'], tenant: 'OWN_OR_ANY_BY_PROVIDER' },
  // The provider's own payment terms and bank account, printed on every invoice.
  'Query.invoiceSettings': { roles: ['back-office', 'platform-admin'], tenant: 'CATALOG' },
  'Query.invoiceEstimate': {
    roles: ['tenant-admin', 'back-office', 'platform-admin'],
    tenant: 'OWN_OR_NAMED_BY_PROVIDER',
  },
  'Query.interaction': { roles: floor, tenant: 'OWN' },
  'Query.employeeNumbers': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.nuisanceNumbers': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.customFieldDefinitions': { roles: floor, tenant: 'OWN' },
  'Query.exportCustomersCsv': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.importJob': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.importJobs': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.keyedRecords': {
    roles: ['tenant-admin', 'back-office', 'platform-admin'],
    tenant: 'OWN_OR_NAMED_BY_PROVIDER',
  },
  'Query.users': { roles: tenantAdmin, tenant: 'OWN' },
  // Whoever may invite into a tenant manages its open invitations; another tenant's are NOT_FOUND.
  'Query.invitations': { roles: ['tenant-admin', 'platform-admin'], tenant: 'OWN' },
  'Query.seats': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.billableSeats': {
    roles: ['tenant-admin', 'back-office', 'platform-admin'],
    tenant: 'OWN_OR_NAMED_BY_PROVIDER',
  },
  'Query.tenants': { roles: ['back-office', 'sales', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Query.tenantPage': { roles: ['back-office', 'sales', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Query.tenant': { roles: ['back-office', 'sales', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Query.twilioAccountSid': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.sipSettings': { roles: tenantAdmin, tenant: 'OWN' },
  // The audit log (操作履歴), one field per subgraph: tenant admins read their own tenant's entries;
  // platform admins and back office every tenant's, or one named with filter.tenantId.
  'Query.telephonyAuditLog': {
    roles: ['tenant-admin', 'back-office', 'platform-admin'],
    tenant: 'OWN_OR_ANY_BY_PROVIDER',
  },
  'Query.customersAuditLog': {
    roles: ['tenant-admin', 'back-office', 'platform-admin'],
    tenant: 'OWN_OR_ANY_BY_PROVIDER',
  },
  'Query.billingAuditLog': {
    roles: ['tenant-admin', 'back-office', 'platform-admin'],
    tenant: 'OWN_OR_ANY_BY_PROVIDER',
  },
  'Query.licensingAuditLog': {
    roles: ['tenant-admin', 'back-office', 'platform-admin'],
    tenant: 'OWN_OR_ANY_BY_PROVIDER',
  },

  'Mutation.createWebhookEndpoint': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.updateWebhookEndpoint': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.deleteWebhookEndpoint': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.sendTestWebhook': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.replayWebhookDelivery': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.login': { roles: 'public', tenant: 'NONE' },
  // Refresh and logout carry their own refresh token; invitations and resets their own one-time token.
  'Mutation.refresh': { roles: 'public', tenant: 'NONE' },
  'Mutation.logout': { roles: 'public', tenant: 'NONE' },
  'Mutation.acceptInvitation': { roles: 'public', tenant: 'NONE' },
  'Mutation.resetPassword': { roles: 'public', tenant: 'NONE' },
  'Mutation.inviteUser': { roles: ['tenant-admin', 'platform-admin'], tenant: 'OWN' },
  'Mutation.resendInvitation': { roles: ['tenant-admin', 'platform-admin'], tenant: 'OWN' },
  'Mutation.cancelInvitation': { roles: ['tenant-admin', 'platform-admin'], tenant: 'OWN' },
  'Mutation.createPasswordReset': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.disableUser': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.rotateSigningKey': { roles: ['platform-admin'], tenant: 'CATALOG' },
  'Mutation.registerSeat': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.deregisterSeat': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.desktopPairing': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.approveDesktopPairing': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.requestDesktopPairing': { roles: floor, tenant: 'SELF' },
  'Mutation.claimDesktopPairing': { roles: floor, tenant: 'SELF' },
  'Mutation.createTenant': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.closeMonth': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.issueInvoice': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.issueInvoices': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.updateInvoiceSettings': { roles: ['back-office', 'platform-admin'], tenant: 'CATALOG' },
  'Mutation.markInvoicePaid': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.voidInvoice': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.createCreditNote': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.setKeyedRecords': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.startInteraction': { roles: floor, tenant: 'OWN' },
  'Mutation.updateInteraction': { roles: floor, tenant: 'OWN' },
  'Mutation.addNote': { roles: floor, tenant: 'OWN' },
  'Mutation.addEmployeeNumber': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.removeEmployeeNumber': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.addNuisanceNumber': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.removeNuisanceNumber': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.defineCustomField': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.removeCustomField': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.importCustomersCsv': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.createLookupSource': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.updateLookupSource': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.deleteLookupSource': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.tryLookupSource': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.connectTwilio': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.configureSip': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.createPlan': { roles: ['sales', 'platform-admin'], tenant: 'CATALOG' },
  'Mutation.addPlanVersion': { roles: ['sales', 'platform-admin'], tenant: 'CATALOG' },
  'Mutation.createContract': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.addConnectionPacks': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.terminateContract': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.movePlanVersion': { roles: ['sales', 'back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.updateBusinessCalendar': {
    roles: ['tenant-admin', 'back-office', 'platform-admin'],
    tenant: 'OWN_OR_NAMED_BY_PROVIDER',
  },
  'Mutation.createCustomer': { roles: floor, tenant: 'OWN' },
  'Mutation.updateCustomer': { roles: floor, tenant: 'OWN' },
  'Mutation.addPhoneNumber': { roles: floor, tenant: 'OWN' },
  'Mutation.removeCustomerPhone': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.deleteCustomer': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.recordPurchase': { roles: floor, tenant: 'OWN' },
  'Mutation.endLease': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.markMissedCallsSeen': { roles: floor, tenant: 'SELF' },
  'Mutation.createWebhookKey': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.rotateWebhookKey': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.revokeWebhookKey': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.addLine': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.relabelLine': { roles: tenantAdmin, tenant: 'OWN' },
  'Mutation.removeLine': { roles: tenantAdmin, tenant: 'OWN' },

  'Subscription.popups': { roles: floor, tenant: 'OWN' },
  'Subscription.callUpdates': { roles: floor, tenant: 'OWN' },
  'Subscription.interactionUpdates': { roles: floor, tenant: 'OWN' },
};

export type AuthorizationDecision = 'ALLOWED' | 'UNAUTHENTICATED' | 'FORBIDDEN';

/** Whether a caller may run one operation (`Query.customers`); no rule means no. */
export function authorize(rule: OperationRule | undefined, principal: Principal | undefined): AuthorizationDecision {
  if (!rule) return 'FORBIDDEN';
  if (rule.roles === 'public') return 'ALLOWED';
  if (!principal) return 'UNAUTHENTICATED';
  if (rule.roles === 'signed-in') return 'ALLOWED';
  return principal.roles.some((role) => rule.roles.includes(role)) ? 'ALLOWED' : 'FORBIDDEN';
}
