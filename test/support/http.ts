import { randomUUID } from 'node:crypto';
// @ts-expect-error plain ESM helper shared with the local scripts
import { signWebhook } from '../../deploy/local/ring.mjs';

export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ data: T | null; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data: T | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

export async function login(gatewayUrl: string, email: string, password: string): Promise<string> {
  const res = await gql<{ login: { accessToken: string } }>(
    gatewayUrl,
    'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    { email, password },
  );
  if (!res.data) throw new Error(`login failed: ${JSON.stringify(res.errors)}`);
  return res.data.login.accessToken;
}

export interface RingOptions {
  keyId: string;
  secret: string;
  callId?: string;
  event?: string;
  from?: string;
  to?: string;
  /** Override the signature (forgeries). */
  signature?: string;
  /** Extra request headers (e.g. a W3C traceparent). */
  headers?: Record<string, string>;
  body?: string;
}

export async function ring(
  telephonyUrl: string,
  o: RingOptions,
): Promise<{ status: number; body: Record<string, unknown>; callId: string }> {
  const callId = o.callId ?? randomUUID();
  const body =
    o.body ??
    JSON.stringify({
      callId,
      event: o.event ?? 'ringing',
      from: o.from ?? '090-1111-2222',
      to: o.to ?? '03-1234-5678',
      occurredAt: new Date().toISOString(),
    });
  const res = await fetch(`${telephonyUrl}/v1/calls/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-thankstar-key': o.keyId,
      'x-thankstar-signature': o.signature ?? (signWebhook(body, o.secret) as string),
      ...o.headers,
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, callId };
}
