import { operation } from '../graphql/operation';
import type {
  ContractByIdQuery,
  ContractByIdQueryVariables,
  ContractHistoryQuery,
  ContractHistoryQueryVariables,
  ContractPageQuery,
  ContractPageQueryVariables,
  CreateContractMutation,
  CreateContractMutationVariables,
  PreviewTerminationQuery,
  PreviewTerminationQueryVariables,
  TerminateContractMutation,
  TerminateContractMutationVariables,
} from '../graphql/types';

const contractFields = /* GraphQL */ `
  fragment ContractFields on Contract {
    id
    tenantId
    recipientName
    planVersion {
      id
      version
      plan {
        code
        name
      }
    }
    serviceStartDate
    listInput
    status
    connectionPacks {
      id
      purchasedOn
    }
    connectionCapacity
    minimumTermFrom
    minimumTermTo
    endMonth
    terminationFeeYen
    tenant {
      id
      name
    }
  }
`;

/** One contract by its id (the contracts resource's record id). */
export const ContractById = operation<ContractByIdQuery, ContractByIdQueryVariables>(/* GraphQL */ `
  query ContractById($id: ID!) {
    contractById(id: $id) {
      ...ContractFields
    }
  }
  ${contractFields}
`);

/** Contracts of every tenant (provider staff) or the own tenant's, filtered and paged. */
export const ContractPage = operation<ContractPageQuery, ContractPageQueryVariables>(/* GraphQL */ `
  query ContractPage($filter: ContractFilter, $offset: Int, $limit: Int, $sort: ContractSort, $descending: Boolean) {
    contractPage(filter: $filter, offset: $offset, limit: $limit, sort: $sort, descending: $descending) {
      total
      items {
        ...ContractFields
      }
    }
  }
  ${contractFields}
`);

/** A tenant's contracts, current and past, newest first. */
export const ContractHistory = operation<ContractHistoryQuery, ContractHistoryQueryVariables>(/* GraphQL */ `
  query ContractHistory($tenantId: ID, $status: ContractStatus) {
    contracts(tenantId: $tenantId, status: $status) {
      id
      status
      serviceStartDate
      endMonth
      terminationFeeYen
      planVersion {
        id
        version
        plan {
          code
          name
        }
      }
    }
  }
`);

export const CreateContract = operation<CreateContractMutation, CreateContractMutationVariables>(/* GraphQL */ `
  mutation CreateContract($input: NewContractInput!) {
    createContract(input: $input) {
      ...ContractFields
    }
  }
  ${contractFields}
`);

export const PreviewTermination = operation<PreviewTerminationQuery, PreviewTerminationQueryVariables>(/* GraphQL */ `
  query PreviewTermination($contractId: ID!, $endMonth: String!) {
    previewTermination(contractId: $contractId, endMonth: $endMonth) {
      endMonth
      minimumTermTo
      monthsRemaining
      feeYen
    }
  }
`);

export const TerminateContract = operation<
  TerminateContractMutation,
  TerminateContractMutationVariables
>(/* GraphQL */ `
  mutation TerminateContract($contractId: ID!, $endMonth: String!, $expectedFeeYen: Int!) {
    terminateContract(contractId: $contractId, endMonth: $endMonth, expectedFeeYen: $expectedFeeYen) {
      ...ContractFields
    }
  }
  ${contractFields}
`);
