import { refreshSession } from '../auth/refresh';
import { currentSession, loadSession } from '../auth/session';
import type { Operation } from './operation';
import { GatewayError, sendOperation } from './transport';

export { GatewayError } from './transport';

/**
 * Runs an operation with the signed-in user's token. An expired token is refreshed once and the
 * operation retried (`retryWithRefresh`), so a long shift is not interrupted by a login screen.
 */
export async function request<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables: TVariables,
  token: string | undefined = currentSession()?.accessToken,
  retryWithRefresh = true,
): Promise<TData> {
  if (!token && retryWithRefresh && loadSession()) token = (await refreshSession())?.accessToken;
  try {
    return await sendOperation(op, variables, token);
  } catch (err) {
    if (!(retryWithRefresh && token && err instanceof GatewayError && err.code === 'UNAUTHENTICATED')) throw err;
    const session = await refreshSession();
    if (!session) throw err;
    return sendOperation(op, variables, session.accessToken);
  }
}
