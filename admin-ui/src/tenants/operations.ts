import { operation } from '../graphql/operation';
import type {
  AddConnectionPacksMutation,
  AddConnectionPacksMutationVariables,
  BillableSeatsQuery,
  BillableSeatsQueryVariables,
  CreateTenantMutation,
  CreateTenantMutationVariables,
  TenantsQuery,
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

export const Tenants = operation<TenantsQuery>(/* GraphQL */ `
  query Tenants {
    tenants {
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
