import type { AuthProvider } from 'react-admin';
import { GatewayError, request } from '../graphql/client';
import { operation } from '../graphql/operation';
import type { LoginMutation, LoginMutationVariables, LogoutMutation, LogoutMutationVariables } from '../graphql/types';
import { AcceptInvitation } from '../invitations/operations';
import { refreshSession } from './refresh';
import { clearSession, currentSession, hasRole, loadSession, type Session, saveSession } from './session';

export const Login = operation<LoginMutation, LoginMutationVariables>(/* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
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

const Logout = operation<LogoutMutation, LogoutMutationVariables>(/* GraphQL */ `
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken)
  }
`);

/** Operators land on the console; everyone else on the back office. */
export const landingPage = (session: Session | null) =>
  hasRole(session, 'TENANT_ADMIN', 'BACK_OFFICE', 'SALES', 'PLATFORM_ADMIN') ? '/' : '/console';

/** Credentials from the login form, or the mailed invitation's token with the password the invitee chose. */
type LoginParams = { username: string; password: string } | { invitationToken: string; password: string };

export const authProvider: AuthProvider = {
  // Accepting an invitation signs the invitee in: one place stores sessions and lands users.
  async login(params: LoginParams) {
    const result =
      'invitationToken' in params
        ? (
            await request(
              AcceptInvitation,
              { token: params.invitationToken, password: params.password },
              undefined,
              false,
            )
          ).acceptInvitation
        : (await request(Login, { email: params.username, password: params.password }, undefined, false)).login;
    const session: Session = { ...result };
    saveSession(session);
    return { redirectTo: landingPage(session), name: session.user.name };
  },
  async logout() {
    const refreshToken = loadSession()?.refreshToken;
    clearSession();
    // Ends the session server-side too; signing out works even when the gateway cannot be reached.
    if (refreshToken) await request(Logout, { refreshToken }, undefined, false).catch(() => {});
  },
  async checkAuth() {
    if (!currentSession() && !(await refreshSession())) throw new Error('ra.auth.auth_check_error');
  },
  async checkError(error: unknown) {
    if (error instanceof GatewayError && (error.code === 'UNAUTHENTICATED' || error.status === 401)) {
      clearSession();
      throw error;
    }
  },
  async getIdentity() {
    const session = currentSession();
    if (!session) throw new Error('ra.auth.auth_check_error');
    return { id: session.user.id, fullName: `${session.user.name}（${session.user.tenant.name}）` };
  },
  async getPermissions() {
    return currentSession()?.user.roles ?? [];
  },
};
