import { isFromGateway, parseTraceparent, runInLogContext, verifiedClientAddress } from '@thankstar/platform';
import { describe, expect, it } from 'vitest';
import { AuthForwardingDataSource } from './auth-forwarding-data-source';

const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const secret = 'a-test-secret-of-at-least-32-characters';

function send(context: { authorization?: string; clientAddress?: string }, query = '{ me { id } }'): Headers {
  const headers = new Headers();
  new AuthForwardingDataSource({ url: 'http://subgraph/graphql' }, secret).willSendRequest({
    request: { query, http: { headers, url: 'http://subgraph/graphql', method: 'POST' } },
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

  it('passes the client address with a proof the subgraph accepts under the same secret only', () => {
    const headers = Object.fromEntries(send({ clientAddress: '203.0.113.9' }).entries());
    expect(verifiedClientAddress(headers, secret)).toBe('203.0.113.9');
    expect(verifiedClientAddress(headers, `${secret}-other`)).toBeUndefined();
  });

  it('proves to the subgraph that the document comes from the gateway (what _entities and _service require)', () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    const headers = Object.fromEntries(send({}, query).entries());
    expect(isFromGateway(headers, secret, query)).toBe(true);
    expect(isFromGateway(headers, secret, '{ _service { sdl } }')).toBe(false);
    expect(isFromGateway(headers, `${secret}-other`, query)).toBe(false);
  });

  it('sends no token for an anonymous caller, and still a valid trace', () => {
    const headers = send({});
    expect(headers.get('authorization')).toBeNull();
    expect(parseTraceparent(headers.get('traceparent'))?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
