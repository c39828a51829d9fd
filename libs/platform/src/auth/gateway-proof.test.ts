import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GATEWAY_PROOF_HEADER, gatewayProofSecret, isFromGateway, signGatewayRequest } from './gateway-proof';

const secret = 'a-test-secret-of-at-least-32-characters';
const now = 1_700_000_000_000;

describe('gateway proof', () => {
  it('holds for the document it was made for, under the same secret only', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ minLength: 1, maxLength: 5 }), (query, extra) => {
        const headers = signGatewayRequest(secret, query, now);
        expect(isFromGateway(headers, secret, query, now)).toBe(true);
        expect(isFromGateway(headers, `${secret}x`, query, now)).toBe(false);
        // A captured proof does not carry another document.
        expect(isFromGateway(headers, secret, query + extra, now)).toBe(false);
      }),
    );
  });

  it('refuses a stale, missing or malformed proof', () => {
    const headers = signGatewayRequest(secret, '{ _service { sdl } }', now);
    expect(isFromGateway(headers, secret, '{ _service { sdl } }', now + 61_000)).toBe(false);
    expect(isFromGateway({}, secret, '{ _service { sdl } }', now)).toBe(false);
    expect(isFromGateway({ [GATEWAY_PROOF_HEADER]: 'x.y' }, secret, '{ _service { sdl } }', now)).toBe(false);
    const map = new Map(Object.entries(headers));
    expect(isFromGateway({ get: (n: string) => map.get(n) }, secret, '{ _service { sdl } }', now)).toBe(true);
  });

  it('is checked in production and wherever the secret is set, not on a bare local stack', () => {
    expect(gatewayProofSecret({})).toBeUndefined();
    expect(gatewayProofSecret({ THANKSTAR_FORWARDING_SECRET: secret })).toBe(secret);
    expect(gatewayProofSecret({ NODE_ENV: 'production', THANKSTAR_FORWARDING_SECRET: secret })).toBe(secret);
    expect(() => gatewayProofSecret({ NODE_ENV: 'production' })).toThrow(/THANKSTAR_FORWARDING_SECRET/);
  });
});
