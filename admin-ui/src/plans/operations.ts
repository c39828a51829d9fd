import { operation } from '../graphql/operation';
import type {
  AddPlanVersionMutation,
  AddPlanVersionMutationVariables,
  CreatePlanMutation,
  CreatePlanMutationVariables,
  PlansQuery,
} from '../graphql/types';

const planVersionFields = /* GraphQL */ `
  fragment PlanVersionFields on PlanVersion {
    id
    version
    effectiveFrom
    initialFeeYen
    maintenanceYen
    softwareFeePerPcYen
    popupPrices {
      customer
      multipleMatches
      unknown
      withheld
      employee
      nuisance
    }
    connectionPriceYen
    packSize
    packBillingMonths
    minimumTermMonths
    listInputPerPopupYen
    listInputPerRecordYen
  }
`;

export const Plans = operation<PlansQuery>(/* GraphQL */ `
  query Plans {
    plans {
      id
      code
      name
      versions {
        ...PlanVersionFields
      }
    }
  }
  ${planVersionFields}
`);

export const CreatePlan = operation<CreatePlanMutation, CreatePlanMutationVariables>(/* GraphQL */ `
  mutation CreatePlan($code: String!, $name: String!, $firstVersion: PlanVersionInput!) {
    createPlan(code: $code, name: $name, firstVersion: $firstVersion) {
      id
      code
      name
      versions {
        ...PlanVersionFields
      }
    }
  }
  ${planVersionFields}
`);

export const AddPlanVersion = operation<AddPlanVersionMutation, AddPlanVersionMutationVariables>(/* GraphQL */ `
  mutation AddPlanVersion($planId: ID!, $input: PlanVersionInput!) {
    addPlanVersion(planId: $planId, input: $input) {
      ...PlanVersionFields
    }
  }
  ${planVersionFields}
`);
