/**
 * The popup payload of customers.popups.v1 (libs/contracts popupPayloadSchema) as GraphQL,
 * used only while the supergraph has no `Popup` type of the customers subgraph yet.
 */
export const fallbackPopupSdl = /* GraphQL */ `
  enum PopupClass { CUSTOMER MULTIPLE_MATCHES UNKNOWN WITHHELD EMPLOYEE NUISANCE }
  type PopupPhoneNumber { raw: String! e164: String display: String valid: Boolean! withheldReason: String }
  type PopupCustomer { id: ID! name: String! nameKana: String company: String tags: [String!]! }
  type PopupPurchase { id: ID! purchasedOn: String! item: String! quantity: Int! amountYen: Int! }
  type PopupPurchaseTotals { count: Int! lifetimeValueYen: Int! }
  type PopupInteraction { id: ID! occurredAt: String! summary: String! operatorName: String }
  type Popup {
    popupId: ID!
    callId: String!
    class: PopupClass!
    caller: PopupPhoneNumber!
    lineLabel: String
    rangAt: String!
    customer: PopupCustomer
    candidates: [PopupCustomer!]!
    purchases: [PopupPurchase!]!
    purchaseTotals: PopupPurchaseTotals
    interactions: [PopupInteraction!]!
    notesAllowed: Boolean!
  }
`;
