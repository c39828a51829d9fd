import { operation } from '../graphql/operation';
import type {
  ActiveLeasesQuery,
  ConnectionUsageQuery,
  ConnectionUsageQueryVariables,
  EndLeaseMutation,
  EndLeaseMutationVariables,
} from '../graphql/types';

export const ActiveLeases = operation<ActiveLeasesQuery>(/* GraphQL */ `
  query ActiveLeases {
    activeLeases {
      id
      userName
      deviceKind
      label
      since
    }
  }
`);

export const EndLease = operation<EndLeaseMutation, EndLeaseMutationVariables>(/* GraphQL */ `
  mutation EndLease($id: ID!) {
    endLease(id: $id)
  }
`);

export const ConnectionUsage = operation<ConnectionUsageQuery, ConnectionUsageQueryVariables>(/* GraphQL */ `
  query ConnectionUsage($from: String!, $to: String!) {
    connectionUsage(from: $from, to: $to) {
      capacity
      connectionPacks
      peak
      refusals
      dailyPeaks {
        period
        peak
      }
      recommendation {
        peak
        packs
        capacity
        exceedsMaximum
        message
      }
    }
  }
`);
