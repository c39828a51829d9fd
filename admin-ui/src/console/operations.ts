import { operation } from '../graphql/operation';
import type {
  CreateUnknownCallerMutation,
  CreateUnknownCallerMutationVariables,
  CustomerHistoryQuery,
  CustomerHistoryQueryVariables,
  MarkMissedCallsSeenMutation,
  MarkMissedCallsSeenMutationVariables,
  MissedCallsQuery,
  MissedCallsQueryVariables,
  PendingPopupsQuery,
  PendingPopupsQueryVariables,
} from '../graphql/types';

// Everything an operator sees on a popup; the subscription and the catch-up query share it.
export const popupFields = /* GraphQL */ `
  fragment PopupFields on Popup {
    popupId
    callId
    class
    caller {
      raw
      display
      withheldReason
    }
    lineLabel
    rangAt
    customer {
      ...PopupCustomerFields
    }
    candidates {
      ...PopupCustomerFields
    }
    purchases {
      id
      purchasedOn
      item
      quantity
      amountYen
    }
    purchaseTotals {
      count
      lifetimeValueYen
    }
    interactions {
      id
      occurredAt
      summary
      operatorName
      outcome
    }
    notesAllowed
    interactionId
    nuisanceReason
    employeeLabel
    followUps {
      interactionId
      dueOn
      assigneeName
      note
    }
    handledBy {
      userId
      name
      since
    }
    # The tenant's lookup sources' cards (Integration plan); a popup re-sent with late cards replaces this one.
    cards {
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
  }
  fragment PopupCustomerFields on PopupCustomer {
    id
    name
    nameKana
    company
    department
    tags
    phones {
      raw
      display
      type
    }
    address {
      postalCode
      prefecture
      city
      street
      building
    }
    customFields {
      key
      label
      values
    }
  }
`;

export const popupsSubscription = /* GraphQL */ `
  subscription Popups {
    popups {
      ...PopupFields
    }
  }
  ${popupFields}
`;

export const PendingPopups = operation<PendingPopupsQuery, PendingPopupsQueryVariables>(/* GraphQL */ `
  query PendingPopups($since: String!) {
    pendingPopups(since: $since) {
      ...PopupFields
    }
  }
  ${popupFields}
`);

export const MissedCalls = operation<MissedCallsQuery, MissedCallsQueryVariables>(/* GraphQL */ `
  query MissedCalls($since: String!) {
    missedCalls(since: $since) {
      seen
      call {
        id
        ringingAt
        from {
          raw
          display
          e164
          withheldReason
        }
        line {
          label
        }
      }
    }
  }
`);

export const MarkMissedCallsSeen = operation<MarkMissedCallsSeenMutation, MarkMissedCallsSeenMutationVariables>(
  /* GraphQL */ `
    mutation MarkMissedCallsSeen($callIds: [ID!]!) {
      markMissedCallsSeen(callIds: $callIds)
    }
  `,
);

export const CreateUnknownCaller = operation<CreateUnknownCallerMutation, CreateUnknownCallerMutationVariables>(
  /* GraphQL */ `
    mutation CreateUnknownCaller($input: CreateCustomerInput!) {
      createCustomer(input: $input) {
        id
        name
      }
    }
  `,
);

// A MULTIPLE_MATCHES popup lists candidates without history: once the operator picks one, its
// purchases and interactions, as many as a CUSTOMER popup shows (services/customers popups HISTORY).
export const CustomerHistory = operation<CustomerHistoryQuery, CustomerHistoryQueryVariables>(/* GraphQL */ `
  query CustomerHistory($id: ID!) {
    customer(id: $id) {
      id
      purchases(limit: 5) {
        id
        purchasedOn
        item
        quantity
        amountYen
      }
      purchaseTotals {
        count
        lifetimeValueYen
      }
      interactions(limit: 5) {
        id
        occurredAt
        summary
        operatorName
        outcome
      }
    }
  }
`);

// What happens to a call after it rang (answered, ended, transferred, missed), for every popup on screen.
export const callUpdatesSubscription = /* GraphQL */ `
  subscription CallUpdates {
    callUpdates {
      callId
      event
      at
      operatorId
      extension
      lineLabel
    }
  }
`;

// A colleague took a call or changed its notes: who handles each popup stays current.
export const interactionUpdatesSubscription = /* GraphQL */ `
  subscription InteractionUpdates {
    interactionUpdates {
      kind
      callId
      popupId
      interactionId
      by {
        userId
        name
      }
      handledBy {
        userId
        name
        since
      }
      at
    }
  }
`;
