import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_ADDRESS_HEADER,
  forwardedClientAddress,
  forwardingSecretFromEnv,
  signClientAddress,
  verifiedClientAddress,
} from './client-address';

const secret = 'a-test-secret-of-at-least-32-characters';
const now = 1_700_000_000_000;

describe('signed client address', () => {
  it('round-trips any address, and only under the same secret', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f.:]{1,45}$/), (address) => {
        const headers = signClientAddress(secret, address, now);
        expect(verifiedClientAddress(headers, secret, now)).toBe(address);
        expect(verifiedClientAddress(headers, `${secret}x`, now)).toBeUndefined();
      }),
    );
  });

  it('refuses an address changed after signing, and a stale proof', () => {
    const headers = signClientAddress(secret, '203.0.113.9', now);
    expect(verifiedClientAddress({ ...headers, [CLIENT_ADDRESS_HEADER]: '198.51.100.1' }, secret, now)).toBeUndefined();
    expect(verifiedClientAddress(headers, secret, now + 61_000)).toBeUndefined();
    expect(verifiedClientAddress({}, secret, now)).toBeUndefined();
  });

  it('needs a real secret in production', () => {
    expect(() => forwardingSecretFromEnv({ NODE_ENV: 'production' })).toThrow(/THANKSTAR_FORWARDING_SECRET/);
    expect(() => forwardingSecretFromEnv({ THANKSTAR_FORWARDING_SECRET: 'short' })).toThrow(/32/);
    expect(forwardingSecretFromEnv({})).toMatch(/development/);
  });
});

describe('forwardedClientAddress', () => {
  it('uses the direct peer unless proxies are trusted', () => {
    expect(forwardedClientAddress('203.0.113.9', '10.0.0.5', 0)).toBe('10.0.0.5');
  });
  it('takes the entry our outermost trusted proxy appended, not what the client claimed', () => {
    expect(forwardedClientAddress('1.2.3.4, 203.0.113.9', '10.0.0.5', 1)).toBe('203.0.113.9');
    expect(forwardedClientAddress('1.2.3.4, 203.0.113.9, 10.0.0.2', '10.0.0.5', 2)).toBe('203.0.113.9');
  });
  it('falls back to the peer when the header is missing or too short, and unmaps IPv4', () => {
    expect(forwardedClientAddress(undefined, '::ffff:10.0.0.5', 1)).toBe('10.0.0.5');
    expect(forwardedClientAddress('203.0.113.9', '10.0.0.5', 2)).toBe('10.0.0.5');
  });
});
