import { operation } from '../graphql/operation';
import type {
  ActiveLeasesQuery,
  ConnectedPcsQuery,
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

/** The tenant's PCs: the connected desktops are listed with the web and mobile connections. */
export const ConnectedPcs = operation<ConnectedPcsQuery>(/* GraphQL */ `
  query ConnectedPcs {
    seats {
      id
      name
      userName
      connected
      lastSeenAt
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
      timeZone
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
        refusals
        exceedsMaximum
      }
    }
  }
`);
