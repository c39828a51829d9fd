import { operation } from '../graphql/operation';
import type {
  DisableUserMutation,
  DisableUserMutationVariables,
  InviteUserMutation,
  InviteUserMutationVariables,
  UsersQuery,
} from '../graphql/types';

export const Users = operation<UsersQuery>(/* GraphQL */ `
  query Users {
    users {
      id
      email
      name
      roles
      disabled
    }
  }
`);

export const InviteUser = operation<InviteUserMutation, InviteUserMutationVariables>(/* GraphQL */ `
  mutation InviteUser($email: String!, $name: String!, $roles: [Role!]!) {
    inviteUser(email: $email, name: $name, roles: $roles) {
      id
      email
      name
      roles
      expiresAt
    }
  }
`);

export const DisableUser = operation<DisableUserMutation, DisableUserMutationVariables>(/* GraphQL */ `
  mutation DisableUser($userId: ID!) {
    disableUser(userId: $userId) {
      id
      disabled
    }
  }
`);
