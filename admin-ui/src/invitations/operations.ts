import { operation } from '../graphql/operation';
import type {
  AcceptInvitationMutation,
  AcceptInvitationMutationVariables,
  CancelInvitationMutation,
  CancelInvitationMutationVariables,
  CreatePasswordResetMutation,
  CreatePasswordResetMutationVariables,
  InvitationsQuery,
  ResendInvitationMutation,
  ResendInvitationMutationVariables,
  ResetPasswordMutation,
  ResetPasswordMutationVariables,
} from '../graphql/types';

/** Open invitations of the caller's tenant (never with a token: the links go by mail only). */
export const Invitations = operation<InvitationsQuery>(/* GraphQL */ `
  query Invitations {
    invitations {
      id
      email
      name
      roles
      invitedAt
      expiresAt
    }
  }
`);

export const ResendInvitation = operation<ResendInvitationMutation, ResendInvitationMutationVariables>(/* GraphQL */ `
  mutation ResendInvitation($id: ID!) {
    resendInvitation(id: $id) {
      id
      email
      name
      roles
      invitedAt
      expiresAt
    }
  }
`);

export const CancelInvitation = operation<CancelInvitationMutation, CancelInvitationMutationVariables>(/* GraphQL */ `
  mutation CancelInvitation($id: ID!) {
    cancelInvitation(id: $id)
  }
`);

/** Public: the mailed token is the proof; answers a signed-in session like login. */
export const AcceptInvitation = operation<AcceptInvitationMutation, AcceptInvitationMutationVariables>(/* GraphQL */ `
  mutation AcceptInvitation($token: String!, $password: String!) {
    acceptInvitation(token: $token, password: $password) {
      accessToken
      expiresAt
      refreshToken
      user {
        id
        name
        roles
        tenant {
          id
          name
          timezone
        }
      }
    }
  }
`);

/** Public: the mailed token is the proof; every session of the user ends. */
export const ResetPassword = operation<ResetPasswordMutation, ResetPasswordMutationVariables>(/* GraphQL */ `
  mutation ResetPassword($token: String!, $password: String!) {
    resetPassword(token: $token, password: $password)
  }
`);

/** A tenant admin mails a reset link to a user of the tenant (the admin never sees the token). */
export const CreatePasswordReset = operation<
  CreatePasswordResetMutation,
  CreatePasswordResetMutationVariables
>(/* GraphQL */ `
  mutation CreatePasswordReset($userId: ID!) {
    createPasswordReset(userId: $userId) {
      sentTo
      expiresAt
    }
  }
`);
