import { operation } from '../graphql/operation';
import type {
  AddConnectionPacksMutation,
  AddConnectionPacksMutationVariables,
  BillableSeatsQuery,
  BillableSeatsQueryVariables,
  CreateTenantMutation,
  CreateTenantMutationVariables,
  TenantByIdQuery,
  TenantByIdQueryVariables,
  TenantPageQuery,
  TenantPageQueryVariables,
} from '../graphql/types';

const tenantContractFields = /* GraphQL */ `
  fragment TenantContractFields on Contract {
    id
    status
    recipientName
    serviceStartDate
    connectionCapacity
    connectionPacks {
      id
      purchasedOn
    }
    planVersion {
      version
      plan {
        code
        name
      }
    }
  }
`;

/** Customer tenants whose name contains `search`, one page (the back office's list and pickers). */
export const TenantPage = operation<TenantPageQuery, TenantPageQueryVariables>(/* GraphQL */ `
  query TenantPage($search: String, $offset: Int, $limit: Int, $sort: TenantSort, $descending: Boolean) {
    tenantPage(search: $search, offset: $offset, limit: $limit, sort: $sort, descending: $descending) {
      total
      items {
        id
        name
        timezone
        contract {
          ...TenantContractFields
        }
      }
    }
  }
  ${tenantContractFields}
`);

export const TenantById = operation<TenantByIdQuery, TenantByIdQueryVariables>(/* GraphQL */ `
  query TenantById($id: ID!) {
    tenant(id: $id) {
      id
      name
      timezone
      contract {
        ...TenantContractFields
      }
    }
  }
  ${tenantContractFields}
`);

/** PCs billed for a month: the seat licences of one tenant. */
export const BillableSeats = operation<BillableSeatsQuery, BillableSeatsQueryVariables>(/* GraphQL */ `
  query BillableSeats($month: String!, $tenantId: ID) {
    billableSeats(month: $month, tenantId: $tenantId) {
      month
      deviceIds
      seats {
        id
        deviceId
        name
        userName
        registeredAt
        deregisteredAt
      }
    }
  }
`);

export const AddConnectionPacks = operation<AddConnectionPacksMutation, AddConnectionPacksMutationVariables>(
  /* GraphQL */ `
    mutation AddConnectionPacks($contractId: ID!, $count: Int!, $purchasedOn: String!) {
      addConnectionPacks(contractId: $contractId, count: $count, purchasedOn: $purchasedOn) {
        ...TenantContractFields
      }
    }
    ${tenantContractFields}
  `,
);

export const CreateTenant = operation<CreateTenantMutation, CreateTenantMutationVariables>(/* GraphQL */ `
  mutation CreateTenant($name: String!, $adminEmail: String!, $adminName: String!, $timezone: String) {
    createTenant(name: $name, adminEmail: $adminEmail, adminName: $adminName, timezone: $timezone) {
      tenant {
        id
        name
        timezone
        contract {
          ...TenantContractFields
        }
      }
      adminInvitation {
        email
        expiresAt
      }
    }
  }
  ${tenantContractFields}
`);
