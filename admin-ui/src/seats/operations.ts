import { operation } from '../graphql/operation';
import type {
  DeregisterSeatMutation,
  DeregisterSeatMutationVariables,
  RegisterSeatMutation,
  RegisterSeatMutationVariables,
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
