import { operation } from '../graphql/operation';
import type {
  AddLineMutation,
  AddLineMutationVariables,
  LinesQuery,
  RelabelLineMutation,
  RelabelLineMutationVariables,
  RemoveLineMutation,
  RemoveLineMutationVariables,
} from '../graphql/types';

const lineFields = /* GraphQL */ `
  fragment LineFields on Line {
    id
    label
    number {
      raw
      display
      e164
    }
  }
`;

// The tenant's lines hang off the signed-in user's own tenant.
export const Lines = operation<LinesQuery>(/* GraphQL */ `
  query Lines {
    me {
      tenant {
        id
        lines {
          ...LineFields
        }
      }
    }
  }
  ${lineFields}
`);

export const AddLine = operation<AddLineMutation, AddLineMutationVariables>(/* GraphQL */ `
  mutation AddLine($number: String!, $label: String) {
    addLine(number: $number, label: $label) {
      ...LineFields
    }
  }
  ${lineFields}
`);

export const RelabelLine = operation<RelabelLineMutation, RelabelLineMutationVariables>(/* GraphQL */ `
  mutation RelabelLine($id: ID!, $label: String) {
    relabelLine(id: $id, label: $label) {
      ...LineFields
    }
  }
  ${lineFields}
`);

export const RemoveLine = operation<RemoveLineMutation, RemoveLineMutationVariables>(/* GraphQL */ `
  mutation RemoveLine($id: ID!) {
    removeLine(id: $id)
  }
`);
