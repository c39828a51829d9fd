import { parseTraceparent, runInLogContext } from '@thankstar/platform';
import { describe, expect, it } from 'vitest';
import { AuthForwardingDataSource } from './auth-forwarding-data-source';

const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function send(context: { authorization?: string }): Headers {
  const headers = new Headers();
  new AuthForwardingDataSource({ url: 'http://subgraph/graphql' }).willSendRequest({
    request: { http: { headers, url: 'http://subgraph/graphql', method: 'POST' } },
    context,
  } as never);
  return headers;
}

describe('AuthForwardingDataSource', () => {
  it('passes the caller’s token and the request’s trace on to the subgraph', () => {
    const headers = runInLogContext({ traceparent: incoming, traceId: parseTraceparent(incoming)?.traceId }, () =>
      send({ authorization: 'Bearer token-of-the-caller' }),
    );
    expect(headers.get('authorization')).toBe('Bearer token-of-the-caller');
    const sent = parseTraceparent(headers.get('traceparent'));
    expect(sent?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(sent?.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('sends no token for an anonymous caller, and still a valid trace', () => {
    const headers = send({});
    expect(headers.get('authorization')).toBeNull();
    expect(parseTraceparent(headers.get('traceparent'))?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
