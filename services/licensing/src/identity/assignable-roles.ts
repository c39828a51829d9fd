import { PROVIDER_STAFF_ROLES } from '@thankstar/contracts';
import type { Role } from '@thankstar/platform';

const customerRoles: readonly Role[] = ['operator', 'tenant-admin'];
const providerStaffRoles: readonly Role[] = PROVIDER_STAFF_ROLES;

/**
 * Which roles someone may give when inviting into their own tenant: a customer's admins hand out
 * customer roles only; the provider's platform admins hand out provider roles, and only inside the
 * provider tenant. Nobody can mint provider roles in a customer tenant.
 */
export function assignableRoles(inviter: readonly Role[], tenantIsProvider: boolean): readonly Role[] {
  if (tenantIsProvider) return inviter.includes('platform-admin') ? providerStaffRoles : [];
  return inviter.includes('tenant-admin') ? customerRoles : [];
}

/** The roles of `wanted` that the inviter may not give, empty when all are allowed. */
export function rolesNotAssignable(
  inviter: readonly Role[],
  tenantIsProvider: boolean,
  wanted: readonly Role[],
): Role[] {
  const allowed = assignableRoles(inviter, tenantIsProvider);
  return wanted.filter((r) => !allowed.includes(r));
}
