import { operation } from '../graphql/operation';
import type { UsageQuery, UsageQueryVariables, UsageTenantsQuery } from '../graphql/types';

export const Usage = operation<UsageQuery, UsageQueryVariables>(/* GraphQL */ `
  query Usage($month: String!, $tenantId: ID) {
    usage(month: $month, tenantId: $tenantId) {
      month
      totalPopups
      totalAmountYen
      days {
        date
        class
        popups
        billedPopups
        amountYen
      }
    }
  }
`);

/** The tenants provider staff choose from (names, not ids). */
export const UsageTenants = operation<UsageTenantsQuery>(/* GraphQL */ `
  query UsageTenants {
    tenants {
      id
      name
    }
  }
`);
