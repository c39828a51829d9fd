import { operation } from '../graphql/operation';
import type {
  AddEmployeeNumberMutation,
  AddEmployeeNumberMutationVariables,
  AddNuisanceNumberMutation,
  AddNuisanceNumberMutationVariables,
  EmployeeNumbersQuery,
  NuisanceNumbersQuery,
  RemoveEmployeeNumberMutation,
  RemoveEmployeeNumberMutationVariables,
  RemoveNuisanceNumberMutation,
  RemoveNuisanceNumberMutationVariables,
} from '../graphql/types';

export const EmployeeNumbers = operation<EmployeeNumbersQuery>(/* GraphQL */ `
  query EmployeeNumbers {
    employeeNumbers {
      id
      raw
      display
      label
      createdAt
    }
  }
`);

export const AddEmployeeNumber = operation<
  AddEmployeeNumberMutation,
  AddEmployeeNumberMutationVariables
>(/* GraphQL */ `
  mutation AddEmployeeNumber($number: String!, $label: String) {
    addEmployeeNumber(number: $number, label: $label) {
      id
      raw
      display
      label
      createdAt
    }
  }
`);

export const RemoveEmployeeNumber = operation<RemoveEmployeeNumberMutation, RemoveEmployeeNumberMutationVariables>(
  /* GraphQL */ `
    mutation RemoveEmployeeNumber($id: ID!) {
      removeEmployeeNumber(id: $id)
    }
  `,
);

export const NuisanceNumbers = operation<NuisanceNumbersQuery>(/* GraphQL */ `
  query NuisanceNumbers {
    nuisanceNumbers {
      id
      raw
      display
      reason
      createdAt
    }
  }
`);

export const AddNuisanceNumber = operation<
  AddNuisanceNumberMutation,
  AddNuisanceNumberMutationVariables
>(/* GraphQL */ `
  mutation AddNuisanceNumber($number: String!, $reason: String!) {
    addNuisanceNumber(number: $number, reason: $reason) {
      id
      raw
      display
      reason
      createdAt
    }
  }
`);

export const RemoveNuisanceNumber = operation<RemoveNuisanceNumberMutation, RemoveNuisanceNumberMutationVariables>(
  /* GraphQL */ `
    mutation RemoveNuisanceNumber($id: ID!) {
      removeNuisanceNumber(id: $id)
    }
  `,
);
