import { forbidden, type Principal, type Role } from '@thankstar/platform';

/** Provider staff who may act on any tenant by passing its id. */
const crossTenantRoles: readonly Role[] = ['back-office', 'platform-admin'];

export const isProviderStaff = (principal: Principal): boolean =>
  principal.roles.some((r) => crossTenantRoles.includes(r));

/**
 * The tenant an operation acts on: the caller's own, from the verified token, unless a
 * back-office or platform-admin caller names another one.
 */
export function tenantScope(principal: Principal, tenantId?: string | null): string {
  if (!tenantId || tenantId === principal.tenantId) return principal.tenantId;
  if (isProviderStaff(principal)) return tenantId;
  throw forbidden('That tenant is not yours.');
}
