import { refreshSession } from '../auth/refresh';
import { currentSession, loadSession } from '../auth/session';
import { gatewayUrl } from '../config';
import { errorMessageJa } from './errorMessage';
import type { Operation } from './operation';

/** A GraphQL error with its stable `extensions.code`; `message` is the Japanese users read. */
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
  errors?: {
    message: string;
    extensions?: { code?: string; details?: unknown; params?: unknown; note?: unknown; [k: string]: unknown };
  }[];
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
    console.warn('The gateway cannot be reached', err);
    throw new GatewayError(errorMessageJa('NETWORK_ERROR'), 'NETWORK_ERROR');
  }
  let body: GraphQLResponse<TData>;
  try {
    body = (await res.json()) as GraphQLResponse<TData>;
  } catch {
    throw badResponse(res.status);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? (res.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR');
    // Every GraphQL error of every page comes through here: the text is the catalogue's by code.
    const message = errorMessageJa(
      code,
      { message: first.message, params: first.extensions?.params, note: first.extensions?.note },
      res.status,
    );
    throw new GatewayError(message, code, first.extensions?.details, res.status);
  }
  if (!body.data) throw badResponse(res.status);
  return body.data;
}

const badResponse = (status: number) =>
  new GatewayError(errorMessageJa('BAD_RESPONSE', { params: { status } }), 'BAD_RESPONSE', undefined, status);
