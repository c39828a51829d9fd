import { operation } from '../graphql/operation';
import type {
  CloseMonthMutation,
  CloseMonthMutationVariables,
  CreateCreditNoteMutation,
  CreateCreditNoteMutationVariables,
  InvoicesQuery,
  InvoicesQueryVariables,
  IssueInvoiceMutation,
  IssueInvoiceMutationVariables,
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
    pdfPath
  }
`;

export const Invoices = operation<InvoicesQuery, InvoicesQueryVariables>(/* GraphQL */ `
  query Invoices($tenantId: ID) {
    invoices(tenantId: $tenantId) {
      ...InvoiceFields
    }
  }
  ${invoiceFields}
`);

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
