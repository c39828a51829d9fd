import type { Role } from '@thankstar/platform';

/** Whose data an operation reaches. The tenant always comes from the verified token, except where a rule says otherwise. */
export const tenantRules = {
  NONE: 'Public: no tenant (before sign-in).',
  SELF: "The caller's own user, in the caller's tenant (from the token).",
  OWN: "The caller's tenant, from the token; no argument can name another.",
  OWN_OR_NAMED_BY_PROVIDER:
    "The caller's tenant; provider staff (back-office, sales, platform-admin) may name one with `tenantId`.",
  ANY_BY_PROVIDER: 'Provider staff only; the tenant is named by the arguments (a contract id).',
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
 * Every operation of the API and who may call it. The gateway enforces the roles before a
 * subgraph is called (the subgraphs check again and scope by tenant); a field missing here
 * is refused, and the test that reads the supergraph fails.
 */
export const authorizationMatrix: Record<string, OperationRule> = {
  'Query.me': { roles: 'signed-in', tenant: 'SELF' },
  'Query.plans': { roles: ['sales', 'back-office', 'platform-admin'], tenant: 'CATALOG' },
  'Query.contract': {
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
  'Query.customers': { roles: floor, tenant: 'OWN' },
  'Query.customer': { roles: floor, tenant: 'OWN' },
  'Query.purchases': { roles: floor, tenant: 'OWN' },
  'Query.interactions': { roles: floor, tenant: 'OWN' },
  'Query.activeLeases': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.connectionUsage': { roles: tenantAdmin, tenant: 'OWN' },
  'Query.calls': { roles: floor, tenant: 'OWN' },
  'Query.call': { roles: floor, tenant: 'OWN' },
  'Query.missedCalls': { roles: floor, tenant: 'OWN' },
  'Query.webhookKeys': { roles: tenantAdmin, tenant: 'OWN' },

  'Mutation.login': { roles: 'public', tenant: 'NONE' },
  'Mutation.createPlan': { roles: ['sales', 'platform-admin'], tenant: 'CATALOG' },
  'Mutation.addPlanVersion': { roles: ['sales', 'platform-admin'], tenant: 'CATALOG' },
  'Mutation.createContract': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.addConnectionPacks': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.terminateContract': { roles: ['back-office', 'platform-admin'], tenant: 'ANY_BY_PROVIDER' },
  'Mutation.updateBusinessCalendar': {
    roles: ['tenant-admin', 'back-office', 'platform-admin'],
    tenant: 'OWN_OR_NAMED_BY_PROVIDER',
  },
  'Mutation.createCustomer': { roles: floor, tenant: 'OWN' },
  'Mutation.updateCustomer': { roles: floor, tenant: 'OWN' },
  'Mutation.addPhoneNumber': { roles: floor, tenant: 'OWN' },
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
