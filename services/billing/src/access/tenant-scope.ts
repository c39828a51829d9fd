import { isProviderStaff as providerStaff } from '@thankstar/contracts';
import { forbidden, type Principal } from '@thankstar/platform';

/**
 * Provider staff (back office, sales, platform admins: the one list in libs/contracts) may act on
 * any tenant by passing its id; what each may do is narrowed by the operation's @Roles.
 */
export const isProviderStaff = (principal: Principal): boolean => providerStaff(principal.roles);

/**
 * The tenant an operation acts on: the caller's own, from the verified token, unless a
 * provider-staff caller names another one.
 */
export function tenantScope(principal: Principal, tenantId?: string | null): string {
  if (!tenantId || tenantId === principal.tenantId) return principal.tenantId;
  if (isProviderStaff(principal)) return tenantId;
  throw forbidden({ ja: '他のテナントのデータにはアクセスできません。', en: 'That tenant is not yours.' });
}
