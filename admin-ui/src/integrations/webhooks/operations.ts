import { operation } from '../../graphql/operation';
import type {
  CreateWebhookEndpointMutation,
  CreateWebhookEndpointMutationVariables,
  DeleteWebhookEndpointMutation,
  DeleteWebhookEndpointMutationVariables,
  ReplayWebhookDeliveryMutation,
  ReplayWebhookDeliveryMutationVariables,
  SendTestWebhookMutation,
  SendTestWebhookMutationVariables,
  UpdateWebhookEndpointMutation,
  UpdateWebhookEndpointMutationVariables,
  WebhookDeliveriesQuery,
  WebhookDeliveriesQueryVariables,
  WebhookEndpointsQuery,
} from '../../graphql/types';

const endpointFields = /* GraphQL */ `
  fragment WebhookEndpointFields on WebhookEndpoint {
    id
    url
    description
    eventTypes
    enabled
    disabledReason
    disabledAt
    failedInARow
    createdAt
  }
`;

export const WebhookEndpoints = operation<WebhookEndpointsQuery>(/* GraphQL */ `
  query WebhookEndpoints {
    webhookEventTypes
    webhookEndpoints {
      ...WebhookEndpointFields
    }
  }
  ${endpointFields}
`);

export const CreateWebhookEndpoint = operation<CreateWebhookEndpointMutation, CreateWebhookEndpointMutationVariables>(
  /* GraphQL */ `
    mutation CreateWebhookEndpoint($input: WebhookEndpointInput!) {
      createWebhookEndpoint(input: $input) {
        secret
        endpoint {
          ...WebhookEndpointFields
        }
      }
    }
    ${endpointFields}
  `,
);

export const UpdateWebhookEndpoint = operation<UpdateWebhookEndpointMutation, UpdateWebhookEndpointMutationVariables>(
  /* GraphQL */ `
    mutation UpdateWebhookEndpoint($id: ID!, $input: WebhookEndpointInput!) {
      updateWebhookEndpoint(id: $id, input: $input) {
        ...WebhookEndpointFields
      }
    }
    ${endpointFields}
  `,
);

export const DeleteWebhookEndpoint = operation<DeleteWebhookEndpointMutation, DeleteWebhookEndpointMutationVariables>(
  /* GraphQL */ `
    mutation DeleteWebhookEndpoint($id: ID!) {
      deleteWebhookEndpoint(id: $id)
    }
  `,
);

export const SendTestWebhook = operation<SendTestWebhookMutation, SendTestWebhookMutationVariables>(/* GraphQL */ `
  mutation SendTestWebhook($endpointId: ID!) {
    sendTestWebhook(endpointId: $endpointId) {
      id
    }
  }
`);

export const ReplayWebhookDelivery = operation<ReplayWebhookDeliveryMutation, ReplayWebhookDeliveryMutationVariables>(
  /* GraphQL */ `
    mutation ReplayWebhookDelivery($id: ID!) {
      replayWebhookDelivery(id: $id) {
        id
      }
    }
  `,
);

export const WebhookDeliveries = operation<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>(/* GraphQL */ `
  query WebhookDeliveries($endpointId: ID, $limit: Int) {
    webhookDeliveries(endpointId: $endpointId, limit: $limit) {
      id
      endpointId
      eventId
      eventType
      status
      attempts
      nextAttemptAt
      lastAttemptAt
      deliveredAt
      responseStatus
      latencyMs
      responseExcerpt
      lastError
      replayOf
      createdAt
    }
  }
`);
