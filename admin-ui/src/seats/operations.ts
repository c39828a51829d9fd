import { operation } from '../graphql/operation';
import type {
  ApproveDesktopPairingMutation,
  ApproveDesktopPairingMutationVariables,
  ClaimDesktopPairingMutation,
  ClaimDesktopPairingMutationVariables,
  DeregisterSeatMutation,
  DeregisterSeatMutationVariables,
  DesktopPairingQuery,
  DesktopPairingQueryVariables,
  RegisterSeatMutation,
  RegisterSeatMutationVariables,
  RequestDesktopPairingMutation,
  RequestDesktopPairingMutationVariables,
  SeatsQuery,
  SeatsQueryVariables,
} from '../graphql/types';

const seatFields = /* GraphQL */ `
  fragment SeatFields on Seat {
    id
    deviceId
    name
    userId
    registeredAt
    deregisteredAt
    paired
    lastSeenAt
    connected
  }
`;

export const Seats = operation<SeatsQuery, SeatsQueryVariables>(/* GraphQL */ `
  query Seats($includeDeregistered: Boolean) {
    seats(includeDeregistered: $includeDeregistered) {
      ...SeatFields
    }
  }
  ${seatFields}
`);

export const RegisterSeat = operation<RegisterSeatMutation, RegisterSeatMutationVariables>(/* GraphQL */ `
  mutation RegisterSeat($deviceId: String!, $name: String!, $userId: ID!) {
    registerSeat(deviceId: $deviceId, name: $name, userId: $userId) {
      ...SeatFields
    }
  }
  ${seatFields}
`);

export const DeregisterSeat = operation<DeregisterSeatMutation, DeregisterSeatMutationVariables>(/* GraphQL */ `
  mutation DeregisterSeat($id: ID!) {
    deregisterSeat(id: $id) {
      ...SeatFields
    }
  }
  ${seatFields}
`);

/** The console on a PC asks to be paired: a code to show, a secret to poll with. */
export const RequestDesktopPairing = operation<RequestDesktopPairingMutation, RequestDesktopPairingMutationVariables>(
  /* GraphQL */ `
    mutation RequestDesktopPairing($pcName: String) {
      requestDesktopPairing(pcName: $pcName) {
        id
        code
        secret
        pcName
        expiresAt
      }
    }
  `,
);

/** The console polls its pairing; once approved the answer carries the device credential, once. */
export const ClaimDesktopPairing = operation<ClaimDesktopPairingMutation, ClaimDesktopPairingMutationVariables>(
  /* GraphQL */ `
    mutation ClaimDesktopPairing($id: ID!, $secret: String!) {
      claimDesktopPairing(id: $id, secret: $secret) {
        status
        deviceCredential
        pcName
      }
    }
  `,
);

/** What an admin sees of a code before approving it. */
export const DesktopPairing = operation<DesktopPairingQuery, DesktopPairingQueryVariables>(/* GraphQL */ `
  query DesktopPairing($code: String!) {
    desktopPairing(code: $code) {
      id
      pcName
      userName
      requestedAt
      expiresAt
    }
  }
`);

export const ApproveDesktopPairing = operation<ApproveDesktopPairingMutation, ApproveDesktopPairingMutationVariables>(
  /* GraphQL */ `
    mutation ApproveDesktopPairing($code: String!, $secret: String) {
      approveDesktopPairing(code: $code, secret: $secret) {
        deviceCredential
        seat {
          ...SeatFields
        }
      }
    }
    ${seatFields}
  `,
);
