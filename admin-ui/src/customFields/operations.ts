import { operation } from '../graphql/operation';
import type {
  CustomFieldDefinitionsQuery,
  DefineCustomFieldMutation,
  DefineCustomFieldMutationVariables,
  RemoveCustomFieldMutation,
  RemoveCustomFieldMutationVariables,
} from '../graphql/types';

export const CustomFieldDefinitions = operation<CustomFieldDefinitionsQuery>(/* GraphQL */ `
  query CustomFieldDefinitions {
    customFieldDefinitions {
      id
      key
      label
      type
      options
      required
      position
    }
  }
`);

export const DefineCustomField = operation<
  DefineCustomFieldMutation,
  DefineCustomFieldMutationVariables
>(/* GraphQL */ `
  mutation DefineCustomField($input: CustomFieldDefinitionInput!) {
    defineCustomField(input: $input) {
      id
      key
      label
      type
      options
      required
      position
    }
  }
`);

export const RemoveCustomField = operation<
  RemoveCustomFieldMutation,
  RemoveCustomFieldMutationVariables
>(/* GraphQL */ `
  mutation RemoveCustomField($key: String!) {
    removeCustomField(key: $key)
  }
`);
