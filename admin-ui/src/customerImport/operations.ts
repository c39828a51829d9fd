import { operation } from '../graphql/operation';
import type { ImportJobProgressQuery, ImportJobProgressQueryVariables } from '../graphql/types';

/**
 * The report `POST /v1/customers/import` answers: the schema's ImportReport as JSON. Declared as a
 * fragment only so codegen types it (`ImportReportFieldsFragment`) from the schema; nothing imports
 * the string itself (codegen reads the source), hence `@public` for knip.
 * @public
 */
export const ImportReportFields = /* GraphQL */ `
  fragment ImportReportFields on ImportReport {
    jobId
    dryRun
    created
    updated
    rejected
    recordsKeyed
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
`;

/** A running import's progress, polled while its upload is in flight. */
export const ImportJobProgress = operation<ImportJobProgressQuery, ImportJobProgressQueryVariables>(/* GraphQL */ `
  query ImportJobProgress($id: ID!) {
    importJob(id: $id) {
      id
      status
      bytesTotal
      bytesRead
      rowsProcessed
      created
      updated
      rejected
      errorCode
      errorMessage
    }
  }
`);
