import type { AuthProvider } from 'react-admin';
import { GatewayError, request } from '../graphql/client';
import { operation } from '../graphql/operation';
import type { LoginMutation, LoginMutationVariables, LogoutMutation, LogoutMutationVariables } from '../graphql/types';
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

export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    const { login } = await request(Login, { email: username, password }, undefined, false);
    const session: Session = { ...login };
    saveSession(session);
    return { redirectTo: landingPage(session) };
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
