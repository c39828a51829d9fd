import { refreshSession } from '../auth/refresh';
import { currentSession, loadSession } from '../auth/session';
import { gatewayUrl } from '../config';
import type { Operation } from './operation';

/** A GraphQL error with its stable `extensions.code`. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details?: unknown,
    readonly status?: number,
  ) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; details?: unknown; [k: string]: unknown } }[];
}

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
    return await send(op, variables, token);
  } catch (err) {
    if (!(retryWithRefresh && token && err instanceof GatewayError && err.code === 'UNAUTHENTICATED')) throw err;
    const session = await refreshSession();
    if (!session) throw err;
    return send(op, variables, session.accessToken);
  }
}

async function send<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables: TVariables,
  token: string | undefined,
): Promise<TData> {
  let res: Response;
  try {
    res = await fetch(gatewayUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: op.document, variables }),
    });
  } catch (err) {
    throw new GatewayError(`The gateway cannot be reached (${String(err)})`, 'NETWORK_ERROR');
  }
  let body: GraphQLResponse<TData>;
  try {
    body = (await res.json()) as GraphQLResponse<TData>;
  } catch {
    throw new GatewayError(`The gateway answered ${res.status} without JSON`, 'BAD_RESPONSE', undefined, res.status);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? (res.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR');
    throw new GatewayError(first.message, code, first.extensions?.details, res.status);
  }
  if (!body.data) throw new GatewayError(`The gateway answered ${res.status} without data`, 'BAD_RESPONSE');
  return body.data;
}
