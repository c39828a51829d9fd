import type { Principal } from '@thankstar/platform';
import type { OperationRule } from './authorization-matrix';

export type AuthorizationDecision = 'ALLOWED' | 'UNAUTHENTICATED' | 'FORBIDDEN';

/** Whether a caller may run one operation (`Query.customers`); no rule means no. */
export function authorize(rule: OperationRule | undefined, principal: Principal | undefined): AuthorizationDecision {
  if (!rule) return 'FORBIDDEN';
  if (rule.roles === 'public') return 'ALLOWED';
  if (!principal) return 'UNAUTHENTICATED';
  if (rule.roles === 'signed-in') return 'ALLOWED';
  return principal.roles.some((role) => rule.roles.includes(role)) ? 'ALLOWED' : 'FORBIDDEN';
}
