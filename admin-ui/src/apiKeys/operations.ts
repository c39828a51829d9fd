import { operation } from '../graphql/operation';
import type {
  CreateWebhookKeyMutation,
  CreateWebhookKeyMutationVariables,
  RevokeWebhookKeyMutation,
  RevokeWebhookKeyMutationVariables,
  RotateWebhookKeyMutation,
  RotateWebhookKeyMutationVariables,
  WebhookKeysQuery,
} from '../graphql/types';

export const webhookKeyFields = /* GraphQL */ `
  fragment WebhookKeyFields on WebhookKey {
    keyId
    label
    createdAt
    revokedAt
    secrets {
      prefix
      createdAt
      expiresAt
    }
  }
`;

export const WebhookKeys = operation<WebhookKeysQuery>(/* GraphQL */ `
  query WebhookKeys {
    webhookKeys {
      ...WebhookKeyFields
    }
  }
  ${webhookKeyFields}
`);

export const CreateWebhookKey = operation<CreateWebhookKeyMutation, CreateWebhookKeyMutationVariables>(
  /* GraphQL */ `
    mutation CreateWebhookKey($label: String) {
      createWebhookKey(label: $label) {
        secret
        key {
          ...WebhookKeyFields
        }
      }
    }
    ${webhookKeyFields}
  `,
);

export const RevokeWebhookKey = operation<RevokeWebhookKeyMutation, RevokeWebhookKeyMutationVariables>(
  /* GraphQL */ `
    mutation RevokeWebhookKey($keyId: String!) {
      revokeWebhookKey(keyId: $keyId) {
        ...WebhookKeyFields
      }
    }
    ${webhookKeyFields}
  `,
);

export const RotateWebhookKey = operation<RotateWebhookKeyMutation, RotateWebhookKeyMutationVariables>(
  /* GraphQL */ `
    mutation RotateWebhookKey($keyId: String!, $graceHours: Int) {
      rotateWebhookKey(keyId: $keyId, graceHours: $graceHours) {
        secret
        key {
          ...WebhookKeyFields
        }
      }
    }
    ${webhookKeyFields}
  `,
);
