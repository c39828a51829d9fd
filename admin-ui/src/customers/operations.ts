import { operation } from '../graphql/operation';
import type {
  AddCustomerPhoneMutation,
  AddCustomerPhoneMutationVariables,
  CreateCustomerMutation,
  CreateCustomerMutationVariables,
  CustomerQuery,
  CustomerQueryVariables,
  CustomersByPhoneQuery,
  CustomersByPhoneQueryVariables,
  CustomersQuery,
  CustomersQueryVariables,
  DeleteCustomerMutation,
  DeleteCustomerMutationVariables,
  RemoveCustomerPhoneMutation,
  RemoveCustomerPhoneMutationVariables,
  UpdateCustomerMutation,
  UpdateCustomerMutationVariables,
} from '../graphql/types';

const customerFields = /* GraphQL */ `
  fragment CustomerFields on Customer {
    id
    externalId
    name
    nameKana
    company
    department
    phones {
      id
      raw
      display
      type
      label
    }
    emails
    address {
      postalCode
      prefecture
      city
      street
      building
    }
    tags
    notes
    customFields {
      key
      label
      type
      values
    }
    lastPurchaseOn
    updatedAt
  }
`;

export const Customers = operation<CustomersQuery, CustomersQueryVariables>(/* GraphQL */ `
  query Customers($search: CustomerSearch, $page: PageInput, $sort: CustomerSort) {
    customers(search: $search, page: $page, sort: $sort) {
      total
      items {
        ...CustomerFields
      }
    }
  }
  ${customerFields}
`);

export const Customer = operation<CustomerQuery, CustomerQueryVariables>(/* GraphQL */ `
  query Customer($id: ID!) {
    customer(id: $id) {
      ...CustomerFields
    }
  }
  ${customerFields}
`);

export const CreateCustomer = operation<CreateCustomerMutation, CreateCustomerMutationVariables>(/* GraphQL */ `
  mutation CreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      ...CustomerFields
    }
  }
  ${customerFields}
`);

export const UpdateCustomer = operation<UpdateCustomerMutation, UpdateCustomerMutationVariables>(/* GraphQL */ `
  mutation UpdateCustomer($id: ID!, $input: UpdateCustomerInput!) {
    updateCustomer(id: $id, input: $input) {
      ...CustomerFields
    }
  }
  ${customerFields}
`);

export const AddCustomerPhone = operation<AddCustomerPhoneMutation, AddCustomerPhoneMutationVariables>(
  /* GraphQL */ `
    mutation AddCustomerPhone($customerId: ID!, $phone: PhoneInput!) {
      addPhoneNumber(customerId: $customerId, phone: $phone) {
        ...CustomerFields
      }
    }
    ${customerFields}
  `,
);

/** Who already has this number (any format), the customer being edited left out: the form's duplicate warning. */
export const CustomersByPhone = operation<CustomersByPhoneQuery, CustomersByPhoneQueryVariables>(/* GraphQL */ `
  query CustomersByPhone($number: String!, $exceptCustomerId: ID) {
    customersByPhone(number: $number, exceptCustomerId: $exceptCustomerId) {
      id
      name
    }
  }
`);

export const RemoveCustomerPhone = operation<RemoveCustomerPhoneMutation, RemoveCustomerPhoneMutationVariables>(
  /* GraphQL */ `
    mutation RemoveCustomerPhone($customerId: ID!, $phoneId: ID!) {
      removeCustomerPhone(customerId: $customerId, phoneId: $phoneId) {
        ...CustomerFields
      }
    }
    ${customerFields}
  `,
);

export const DeleteCustomer = operation<DeleteCustomerMutation, DeleteCustomerMutationVariables>(/* GraphQL */ `
  mutation DeleteCustomer($id: ID!) {
    deleteCustomer(id: $id)
  }
`);
