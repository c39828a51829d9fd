import { extendSchema, type GraphQLFieldResolver, type GraphQLSchema, parse } from 'graphql/index.js';

// 'graphql/index.js', not 'graphql': the CommonJS build that Apollo and graphql-ws load, so the
// schema is of the same graphql module when tests run the source through Vite.

/**
 * Subscriptions are served by the gateway itself (Apollo Gateway cannot execute them), over
 * the composed API schema, so `Popup` is the customers subgraph's own type.
 */
export const subscriptionSdl = /* GraphQL */ `
  "What happened to a call after it rang."
  enum CallUpdateEvent {
    ANSWERED
    ENDED
    TRANSFERRED
    MISSED
  }

  "A status change of one of the tenant's calls."
  type CallUpdate {
    callId: String!
    event: CallUpdateEvent!
    "When it happened at the source (ISO 8601)."
    at: String!
    "The operator who answered or took the transfer, when known."
    operatorId: String
    extension: String
    lineLabel: String
  }

  enum InteractionUpdateKind {
    "An operator took the call."
    TAKEN
    "Notes, outcome or follow-up changed."
    UPDATED
    "The customer's profile was corrected."
    PROFILE_CORRECTED
  }

  type InteractionActor {
    userId: String!
    name: String
  }

  "A change a colleague made to a call's interaction (対応履歴) or to the caller's profile."
  type InteractionUpdate {
    kind: InteractionUpdateKind!
    interactionId: ID
    callId: String
    popupId: ID
    customerId: ID
    by: InteractionActor!
    notes: String
    outcome: String
    followUpOn: String
    followUpAssigneeId: String
    handledBy: [PopupHandler!]!
    "The corrected customer, for PROFILE_CORRECTED."
    customer: PopupCustomer
    at: String!
  }

  extend schema {
    subscription: Subscription
  }

  "Live events of the signed-in user's tenant, over graphql-ws at /graphql."
  type Subscription {
    "A popup for every call that rings on one of the tenant's lines."
    popups: Popup!
    "Status changes of the tenant's calls: answered (by whom), ended, transferred, missed."
    callUpdates: CallUpdate!
    "Notes, outcomes and profile corrections of the tenant's calls, as colleagues make them."
    interactionUpdates: InteractionUpdate!
  }
`;

export type SubscriptionResolvers<C> = Record<
  'popups' | 'callUpdates' | 'interactionUpdates',
  GraphQLFieldResolver<unknown, C>
>;

export function buildSubscriptionSchema<C>(
  apiSchema: GraphQLSchema,
  resolvers: SubscriptionResolvers<C>,
): GraphQLSchema {
  const schema = extendSchema(apiSchema, parse(subscriptionSdl));
  const fields = schema.getSubscriptionType()?.getFields();
  if (!fields) throw new Error('Subscription type missing');
  for (const [name, subscribe] of Object.entries(resolvers)) {
    const field = fields[name];
    if (!field) throw new Error(`Subscription.${name} missing`);
    field.subscribe = subscribe;
    // The stream yields the event itself; its fields resolve by name.
    field.resolve = (event: unknown) => event;
  }
  return schema;
}
