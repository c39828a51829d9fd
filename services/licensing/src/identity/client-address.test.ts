import { signClientAddress } from '@thankstar/platform';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';

const secret = 'a-test-secret-of-at-least-32-characters';

describe('clientAddress', () => {
  const req = (headers: Record<string, string> = {}) => ({ ip: '10.0.0.5', headers });

  it('uses the address the gateway forwarded with a valid proof', () => {
    expect(clientAddress(req(signClientAddress(secret, '203.0.113.9')), secret)).toBe('203.0.113.9');
  });
  it('ignores a forwarded address without a valid proof, and X-Forwarded-For altogether', () => {
    const forged = { ...signClientAddress('another-secret-of-at-least-32-chars!', '203.0.113.9') };
    expect(clientAddress(req(forged), secret)).toBe('10.0.0.5');
    expect(clientAddress(req({ 'x-thankstar-client-address': '203.0.113.9' }), secret)).toBe('10.0.0.5');
    expect(clientAddress(req({ 'x-forwarded-for': '203.0.113.9' }), secret)).toBe('10.0.0.5');
  });
});
