import { operation } from '../graphql/operation';
import type { ImportCustomersCsvMutation, ImportCustomersCsvMutationVariables } from '../graphql/types';

export const ImportCustomersCsv = operation<ImportCustomersCsvMutation, ImportCustomersCsvMutationVariables>(
  /* GraphQL */ `
    mutation ImportCustomersCsv($input: CustomerImportInput!) {
      importCustomersCsv(input: $input) {
        dryRun
        created
        updated
        rejected
        unmappedColumns
        rowsTruncated
        rows {
          line
          action
          externalId
          name
          problems
        }
      }
    }
  `,
);
