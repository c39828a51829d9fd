/**
 * The provider's own staff (docs/product-rules.md#provider-staff): back office, sales and platform admins. They
 * work across tenants; everyone else (operators, tenant admins) only in their own. What each
 * of them may do is still narrowed per operation (`@Roles`, the gateway's matrix); this list
 * only answers "is this caller provider staff", and it is the only answer in the code.
 * Role names are the tokens' (kebab-case); the GraphQL enum spells them BACK_OFFICE etc.
 */
export const PROVIDER_STAFF_ROLES = ['back-office', 'sales', 'platform-admin'] as const;

/** Whether any of `roles` (token names like `back-office`, or enum names like `BACK_OFFICE`) is provider staff. */
export function isProviderStaff(roles: readonly string[]): boolean {
  return roles.some((r) => (PROVIDER_STAFF_ROLES as readonly string[]).includes(r.toLowerCase().replaceAll('_', '-')));
}
