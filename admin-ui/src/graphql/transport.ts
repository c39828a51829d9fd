import { gatewayUrl } from '../config';
import { errorMessageJa } from './errorMessage';
import type { Operation } from './operation';

// One POST to the gateway, with the token it is given and nothing else: no session, no refresh.
// Both the client (which refreshes) and auth/refresh.ts (the refresh mutation itself) build on it,
// so neither imports the other.

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

/** Sends one operation with `token` (none: anonymous); every error becomes a GatewayError in Japanese. */
export async function sendOperation<TData, TVariables>(
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
