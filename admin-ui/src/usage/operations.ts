import { operation } from '../graphql/operation';
import type { UsageQuery, UsageQueryVariables } from '../graphql/types';

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
      }
    }
  }
`);
