import { operation } from '../../graphql/operation';
import type {
  CreateLookupSourceMutation,
  CreateLookupSourceMutationVariables,
  DeleteLookupSourceMutation,
  DeleteLookupSourceMutationVariables,
  LookupSourcesQuery,
  TryLookupSourceMutation,
  TryLookupSourceMutationVariables,
  UpdateLookupSourceMutation,
  UpdateLookupSourceMutationVariables,
} from '../../graphql/types';

// A card as the popup shows it; the console's PopupFields fragment asks for the same fields.
export const lookupCardFields = /* GraphQL */ `
  fragment LookupCardFields on LookupCard {
    sourceId
    sourceName
    recordId
    title
    fields {
      label
      value
    }
    links {
      label
      url
    }
  }
`;

// Everything but the credentials: an API token, password or signing secret is never read back.
export const lookupSourceFields = /* GraphQL */ `
  fragment LookupSourceFields on LookupSource {
    id
    name
    kind
    enabled
    budgetMs
    endpoint
    appId
    database
    layout
    account
    phoneFields
    titleField
    displayFields {
      field
      label
    }
    notes {
      mode
      target
      textField
      outcomeField
      atField
      keyField
    }
    lastOkAt
    lastError {
      code
      message
      detail
      at
    }
    circuitOpen
    updatedAt
  }
`;

export const LookupSources = operation<LookupSourcesQuery>(/* GraphQL */ `
  query LookupSources {
    lookupSources {
      ...LookupSourceFields
    }
  }
  ${lookupSourceFields}
`);

export const CreateLookupSource = operation<CreateLookupSourceMutation, CreateLookupSourceMutationVariables>(
  /* GraphQL */ `
    mutation CreateLookupSource($input: LookupSourceInput!) {
      createLookupSource(input: $input) {
        signingSecret
        source {
          ...LookupSourceFields
        }
      }
    }
    ${lookupSourceFields}
  `,
);

export const UpdateLookupSource = operation<UpdateLookupSourceMutation, UpdateLookupSourceMutationVariables>(
  /* GraphQL */ `
    mutation UpdateLookupSource($id: ID!, $input: LookupSourceInput!) {
      updateLookupSource(id: $id, input: $input) {
        ...LookupSourceFields
      }
    }
    ${lookupSourceFields}
  `,
);

export const DeleteLookupSource = operation<DeleteLookupSourceMutation, DeleteLookupSourceMutationVariables>(
  /* GraphQL */ `
    mutation DeleteLookupSource($id: ID!) {
      deleteLookupSource(id: $id)
    }
  `,
);

export const TryLookupSource = operation<TryLookupSourceMutation, TryLookupSourceMutationVariables>(/* GraphQL */ `
  mutation TryLookupSource($id: ID!, $number: String!, $line: String) {
    tryLookupSource(id: $id, number: $number, line: $line) {
      cards {
        ...LookupCardFields
      }
      elapsedMs
      withinBudget
      error {
        code
        message
        detail
      }
    }
  }
  ${lookupCardFields}
`);
