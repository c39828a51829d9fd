import { operation } from '../graphql/operation';
import type {
  CloseMonthMutation,
  CloseMonthMutationVariables,
  CreateCreditNoteMutation,
  CreateCreditNoteMutationVariables,
  InvoiceByIdQuery,
  InvoiceByIdQueryVariables,
  InvoicePageQuery,
  InvoicePageQueryVariables,
  InvoiceSettingsQuery,
  IssueInvoiceMutation,
  IssueInvoiceMutationVariables,
  IssueInvoicesMutation,
  IssueInvoicesMutationVariables,
  UpdateInvoiceSettingsMutation,
  UpdateInvoiceSettingsMutationVariables,
  VoidInvoiceMutation,
  VoidInvoiceMutationVariables,
} from '../graphql/types';

const invoiceFields = /* GraphQL */ `
  fragment InvoiceFields on Invoice {
    id
    tenantId
    kind
    status
    number
    month
    recipientName
    periodStart
    periodEnd
    lines {
      kind
      description
      quantity
      unitPriceYen
      amountYen
      taxRatePercent
    }
    taxes {
      taxRatePercent
      subtotalYen
      taxYen
    }
    subtotalYen
    taxYen
    totalYen
    creditedInvoiceId
    reason
    issuedAt
    paymentDueDate
    pdfPath
    tenant {
      id
      name
    }
  }
`;

/** Invoices of every tenant (provider staff) or the own tenant's issued ones, with the set's totals. */
export const InvoicePage = operation<InvoicePageQuery, InvoicePageQueryVariables>(/* GraphQL */ `
  query InvoicePage($filter: InvoiceFilter, $offset: Int, $limit: Int, $sort: InvoiceSort, $descending: Boolean) {
    invoicePage(filter: $filter, offset: $offset, limit: $limit, sort: $sort, descending: $descending) {
      total
      byStatus {
        status
        count
        totalYen
      }
      items {
        ...InvoiceFields
      }
    }
  }
  ${invoiceFields}
`);

export const InvoiceById = operation<InvoiceByIdQuery, InvoiceByIdQueryVariables>(/* GraphQL */ `
  query InvoiceById($id: ID!) {
    invoice(id: $id) {
      ...InvoiceFields
    }
  }
  ${invoiceFields}
`);

export const IssueInvoices = operation<IssueInvoicesMutation, IssueInvoicesMutationVariables>(/* GraphQL */ `
  mutation IssueInvoices($ids: [ID!]!) {
    issueInvoices(ids: $ids) {
      issued {
        id
        number
      }
      failed {
        invoiceId
        code
        message
      }
    }
  }
`);

const settingsFields = /* GraphQL */ `
  fragment InvoiceSettingsFields on InvoiceSettings {
    paymentTerms
    paymentTermDays
    bankAccount
    updatedAt
  }
`;

export const InvoiceSettings = operation<InvoiceSettingsQuery>(/* GraphQL */ `
  query InvoiceSettings {
    invoiceSettings {
      ...InvoiceSettingsFields
    }
  }
  ${settingsFields}
`);

export const UpdateInvoiceSettings = operation<UpdateInvoiceSettingsMutation, UpdateInvoiceSettingsMutationVariables>(
  /* GraphQL */ `
    mutation UpdateInvoiceSettings($input: InvoiceSettingsInput!) {
      updateInvoiceSettings(input: $input) {
        ...InvoiceSettingsFields
      }
    }
    ${settingsFields}
  `,
);

export const CloseMonth = operation<CloseMonthMutation, CloseMonthMutationVariables>(/* GraphQL */ `
  mutation CloseMonth($tenantId: ID!, $month: String!) {
    closeMonth(tenantId: $tenantId, month: $month) {
      ...InvoiceFields
    }
  }
  ${invoiceFields}
`);

export const IssueInvoice = operation<IssueInvoiceMutation, IssueInvoiceMutationVariables>(/* GraphQL */ `
  mutation IssueInvoice($id: ID!) {
    issueInvoice(id: $id) {
      ...InvoiceFields
    }
  }
  ${invoiceFields}
`);

export const VoidInvoice = operation<VoidInvoiceMutation, VoidInvoiceMutationVariables>(/* GraphQL */ `
  mutation VoidInvoice($id: ID!, $reason: String!) {
    voidInvoice(id: $id, reason: $reason) {
      ...InvoiceFields
    }
  }
  ${invoiceFields}
`);

export const CreateCreditNote = operation<CreateCreditNoteMutation, CreateCreditNoteMutationVariables>(/* GraphQL */ `
  mutation CreateCreditNote($invoiceId: ID!, $description: String!, $amountYen: Int!) {
    createCreditNote(invoiceId: $invoiceId, description: $description, amountYen: $amountYen) {
      ...InvoiceFields
    }
  }
  ${invoiceFields}
`);
